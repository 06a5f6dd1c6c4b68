package dev.keel.api.tracking;

import dev.keel.core.Checks;

/** A run's input setting. Immutable once logged: the same key may only be logged again with the same value. */
public record Param(String key, String value) {
    public Param {
        Checks.requireValidKey("param key", key);
        Checks.requireNonNull("param '" + key + "' value", value);
        Checks.requireMaxLength("param '" + key + "' value", value, Limits.MAX_PARAM_VALUE_LENGTH);
    }
}
