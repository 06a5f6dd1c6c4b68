package dev.keel.api;

import dev.keel.api.tracking.Limits;
import dev.keel.core.Checks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A key/value annotation on an experiment, a run, a registered model or a version. Tags, unlike params, may change. */
public record Tag(String key, String value) {
    public Tag {
        Checks.requireValidKey("tag key", key);
        value = value == null ? "" : value;
        Checks.requireMaxLength("tag '" + key + "' value", value, Limits.MAX_TAG_VALUE_LENGTH);
    }

    /** Tags by key, the last of a key winning (and standing where it came): what storing them all in order leaves. */
    public static Map<String, Tag> byKey(List<Tag> tags) {
        Map<String, Tag> byKey = new LinkedHashMap<>();
        for (Tag tag : tags) {
            byKey.remove(tag.key());
            byKey.put(tag.key(), tag);
        }
        return byKey;
    }
}
