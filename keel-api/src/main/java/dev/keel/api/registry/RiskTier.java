package dev.keel.api.registry;

import dev.keel.core.Checks;
import dev.keel.core.KeelException;

import java.util.Locale;

/** How much harm a wrong answer from the model can do; approval rigour grows with it. */
public enum RiskTier {
    LOW, MEDIUM, HIGH;

    /** Case-insensitive; an unknown tier is a 400 naming the value and the allowed ones. */
    public static RiskTier parse(String value) {
        return Checks.named(values(), Enum::name, value).orElseThrow(() -> KeelException.invalid("invalid risk_tier '"
                + value + "'; expected one of " + Checks.listed(values(), tier -> tier.name().toLowerCase(Locale.ROOT))));
    }
}
