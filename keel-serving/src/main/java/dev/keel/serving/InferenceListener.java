package dev.keel.serving;

import dev.keel.serving.runtime.ModelKey;

/**
 * What the serving path reports per request, for metrics (requests, errors and latency per
 * endpoint and variant): the hook the HTTP layer's Prometheus registry fills, so this module
 * needs no metrics library. Called on the request's thread; must be quick and never throw.
 */
public interface InferenceListener {
    InferenceListener NONE = new InferenceListener() {
    };

    /**
     * One request answered ({@code failed} false) or failed inside the model ({@code failed}
     * true); {@code endpoint} and {@code variant} are null for a direct model call.
     */
    default void answered(String endpoint, String variant, ModelKey model, long nanos, boolean failed) {
    }

    /** One mirrored copy ran on the shadow; {@code agreed} says whether its outputs matched the primary's. */
    default void shadowed(String endpoint, String variant, long nanos, boolean failed, boolean agreed) {
    }

    /** A mirrored copy was dropped because the shadow's queue was full (the primary never waits for it). */
    default void shadowDropped(String endpoint, String variant) {
    }
}
