package dev.keel.api.registry.card;

/**
 * A data set the model was trained or evaluated on: its name and digest (as tracking recorded
 * it), where it came from, how it was used ({@code training}, {@code test}, …) and notes on it.
 */
public record DataReference(String name, String digest, String source, String context, String description) {
}
