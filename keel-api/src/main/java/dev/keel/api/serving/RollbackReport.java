package dev.keel.api.serving;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Why and how fast a canary was rolled back.
 *
 * @param breaches      the guardrail checks that failed
 * @param canaryWeight  the canary's share when the breach was detected, in percent
 * @param firstBreachAt when the breach began, as far as the window's one-bucket resolution tells
 *                      (the start of the last unbroken run of breaching buckets)
 * @param detectedAt    the analysis that found it
 * @param rolledBackAt  when the stable-only policy was written; the router swaps its table on that commit
 */
public record RollbackReport(String reason, List<GuardrailCheck> breaches, double canaryWeight, Instant firstBreachAt,
                             Instant detectedAt, Instant rolledBackAt) {
    public RollbackReport {
        breaches = List.copyOf(breaches);
    }

    /** From the first breaching observation to all traffic on stable. */
    public Duration breachToRollback() {
        return Duration.between(firstBreachAt, rolledBackAt);
    }

    /** From the analysis that found the breach to all traffic on stable. */
    public Duration detectionToRollback() {
        return Duration.between(detectedAt, rolledBackAt);
    }
}
