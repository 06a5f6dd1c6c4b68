package dev.keel.api.registry.card;

/** Someone who answers for the model, and how to reach them (contact may be null). */
public record Owner(String name, String contact) {
}
