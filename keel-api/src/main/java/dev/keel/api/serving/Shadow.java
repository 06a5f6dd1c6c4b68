package dev.keel.api.serving;

/**
 * Copies {@code percent} of an endpoint's requests to {@code variant}, whose answers are compared
 * and recorded but never returned. The copy is sent after the primary answered, so a slow or
 * failing shadow never slows or fails the caller.
 */
public record Shadow(String variant, double percent) {
    public Shadow {
        ServingName.requireValid("shadow.variant", variant);
        Percent.requireValid("shadow.percent", percent);
    }
}
