package dev.keel.api;

import dev.keel.api.tracking.Limits;
import dev.keel.core.Checks;

/** A key/value annotation on an experiment or a run. Tags, unlike params, may change. */
public record Tag(String key, String value) {
    public Tag {
        Checks.requireValidKey("tag key", key);
        value = value == null ? "" : value;
        Checks.requireMaxLength("tag '" + key + "' value", value, Limits.MAX_TAG_VALUE_LENGTH);
    }
}
