package dev.keel.api.registry.card;

/**
 * A factor the model's performance may vary with (a group, an instrument, an environment),
 * such as an age band; the metrics section slices results by these.
 */
public record Factor(String name, String description) {
}
