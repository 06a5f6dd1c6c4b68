package dev.keel.api.registry;

import dev.keel.core.KeelException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How much harm a wrong answer from the model can do; approval rigour grows with it. */
public enum RiskTier {
    LOW, MEDIUM, HIGH;

    /** Case-insensitive; an unknown tier is a 400 naming the value and the allowed ones. */
    public static RiskTier parse(String value) {
        if (value != null) {
            for (RiskTier tier : values()) {
                if (tier.name().equalsIgnoreCase(value.trim())) {
                    return tier;
                }
            }
        }
        throw KeelException.invalid("invalid risk_tier '" + value + "'; expected one of "
                + Arrays.stream(values()).map(t -> t.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
    }
}
