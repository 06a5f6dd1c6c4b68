package dev.keel.api.registry.card;

/** A risk the model carries for people, and what was done about it (null when nothing yet). */
public record EthicalConsideration(String name, String mitigation) {
}
