package dev.keel.serving.batching;

import dev.keel.api.Tag;
import dev.keel.core.KeelException;
import dev.keel.serving.runtime.ModelKey;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Which micro-batching each model version gets. {@link MicroBatching} asks once per version, the
 * first time the version is leased or served in this process, and keeps the answer while the
 * process runs.
 */
@FunctionalInterface
public interface BatchingPolicy {

    /** The batching of {@code key}; a KeelException (a 400 for a bad setting) refuses to serve it. */
    BatchingOptions of(ModelKey key);

    /** The same batching for every version. */
    static BatchingPolicy everywhere(BatchingOptions options) {
        Objects.requireNonNull(options, "options");
        return key -> options;
    }

    /**
     * {@code defaults}, overridden per version by its tags ({@link BatchingOptions#fromTags}), read
     * through {@code tags} (the registry the models are loaded from). A bad tag is a 400 naming the
     * version, the tag and its value.
     */
    static BatchingPolicy fromTags(Function<ModelKey, List<Tag>> tags, BatchingOptions defaults) {
        Objects.requireNonNull(tags, "tags");
        Objects.requireNonNull(defaults, "defaults");
        return key -> {
            List<Tag> read = tags.apply(key);
            try {
                return BatchingOptions.fromTags(read, defaults);
            } catch (KeelException e) {
                throw KeelException.invalid(key + " cannot be served: " + e.getMessage());
            }
        };
    }
}
