package dev.keel.serving.endpoint;

import dev.keel.api.serving.Variant;
import dev.keel.serving.rollout.VariantStatistics;

/**
 * The router's answer for one request: which variant answers, where its outcome is recorded,
 * and, when the request is mirrored, the shadow variant to copy it to. Made when the endpoint's
 * routing table is built, never per request.
 *
 * <p>The serving path runs {@code variant}, then reports the outcome to {@code statistics}
 * ({@link VariantStatistics#record(long, boolean)}); when {@link #mirror()}, it copies the
 * request to {@code shadow} off the request's thread and reports that outcome to
 * {@code shadowStatistics}.
 *
 * @param shadow null unless this request is mirrored
 */
public record Route(String endpoint, long endpointVersion, Variant variant, VariantStatistics statistics, Variant shadow,
                    VariantStatistics shadowStatistics) {

    public boolean mirror() {
        return shadow != null;
    }
}
