package dev.keel.serving.runtime;

import dev.keel.core.KeelException;

import java.time.Duration;

/**
 * What {@link LoadedModels} reports as it loads, unloads and closes models: the hook for metrics
 * (model load times, loaded models, memory) without this module depending on a metrics library.
 * Called on the thread that did the work; implementations must be quick and must not throw.
 */
public interface LoadListener {
    LoadListener NONE = new LoadListener() {
    };

    /** Why a model left the cache. */
    enum Unloaded {
        /** Least recently used, to make room under the memory budget. */
        EVICTED,
        /** Replaced by {@link LoadedModels#swap}. */
        SWAPPED,
        /** Asked for by {@link LoadedModels#unload}. */
        UNLOADED,
        /** The cache was closed. */
        CLOSED
    }

    default void loaded(ModelKey key, long footprintBytes, Duration took) {
    }

    default void loadFailed(ModelKey key, KeelException error, Duration took) {
    }

    /** The model no longer takes new requests; it closes once the requests using it are done. */
    default void unloaded(ModelKey key, Unloaded why) {
    }

    /** The model's last lease ended and its runtime was closed. */
    default void closed(ModelKey key) {
    }
}
