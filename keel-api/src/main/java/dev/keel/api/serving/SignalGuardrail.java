package dev.keel.api.serving;

import dev.keel.core.Checks;
import dev.keel.core.KeelException;

/**
 * A bound on a model-level signal that traffic-only tools cannot see: prediction drift, live
 * accuracy from feedback, a business KPI. Its readings come from the outcomes the serving path
 * reports, or from a {@link ModelSignals} source that monitoring plugs in.
 *
 * @param minSamples readings over fewer samples than this are not evidence yet
 */
public record SignalGuardrail(String signal, Bound bound, double threshold, long minSamples) {
    public static final int MAX_NAME_LENGTH = 64;

    public enum Bound {
        /** The signal must stay at or below the threshold (drift, false-positive rate). */
        AT_MOST,
        /** The signal must stay at or above the threshold (accuracy, conversion). */
        AT_LEAST
    }

    public SignalGuardrail {
        requireValidName("guardrails.signals.signal", signal);
        Checks.requireNonNull("guardrails.signals.bound", bound);
        if (!Double.isFinite(threshold)) {
            throw KeelException.invalid("'guardrails.signals.threshold' must be a finite number (got " + threshold + ")");
        }
        if (minSamples < 1) {
            throw KeelException.invalid("'guardrails.signals.min_samples' must be at least 1 (got " + minSamples + ")");
        }
    }

    /** A signal name: a metric key of at most 64 characters. */
    public static String requireValidName(String field, String signal) {
        Checks.requireValidKey(field, signal);
        return Checks.requireMaxLength(field, signal, MAX_NAME_LENGTH);
    }

    /** Whether {@code value} is outside the bound. */
    public boolean breachedBy(double value) {
        return bound == Bound.AT_MOST ? value > threshold : value < threshold;
    }

    @Override
    public String toString() {
        return signal + (bound == Bound.AT_MOST ? " <= " : " >= ") + threshold;
    }
}
