package dev.keel.api.serving;

import dev.keel.core.Checks;
import dev.keel.core.KeelException;

import java.time.Duration;

/**
 * The analysis between canary steps. Each step lasts at least {@code interval}; at its end the
 * canary's traffic over that interval is checked against the guardrails and needs at least
 * {@code minSamples} requests to count as evidence. A pass moves to the next step; after
 * {@code inconclusiveLimit} checks in a row without enough evidence the rollout pauses for a
 * person. A breach is acted on at once, not at the end of the step.
 */
public record CanaryAnalysis(Duration interval, long minSamples, int inconclusiveLimit, Guardrails guardrails) {
    public static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
    public static final Duration MAX_INTERVAL = Duration.ofHours(24);
    public static final long MAX_MIN_SAMPLES = 1_000_000_000L;
    public static final int MAX_INCONCLUSIVE_LIMIT = 100;

    public CanaryAnalysis {
        Checks.requireNonNull("analysis.interval", interval);
        if (interval.compareTo(MIN_INTERVAL) < 0 || interval.compareTo(MAX_INTERVAL) > 0) {
            throw KeelException.invalid("'analysis.interval' must be from 1 second to 24 hours (got " + interval + ")");
        }
        if (minSamples < 1 || minSamples > MAX_MIN_SAMPLES) {
            throw KeelException.invalid("'analysis.min_samples' must be from 1 to " + MAX_MIN_SAMPLES + " (got "
                    + minSamples + ")");
        }
        if (inconclusiveLimit < 1 || inconclusiveLimit > MAX_INCONCLUSIVE_LIMIT) {
            throw KeelException.invalid("'analysis.inconclusive_limit' must be from 1 to " + MAX_INCONCLUSIVE_LIMIT
                    + " (got " + inconclusiveLimit + ")");
        }
        Checks.requireNonNull("analysis.guardrails", guardrails);
    }
}
