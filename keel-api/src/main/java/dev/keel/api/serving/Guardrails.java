package dev.keel.api.serving;

import dev.keel.core.Checks;
import dev.keel.core.KeelException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What a canary must keep to stay in: an error rate, a p99 latency, and bounds on model signals.
 * At least one is set; an unset one (null) is not checked.
 *
 * @param maxErrorPercent failed requests, in percent of requests, at most this
 * @param maxP99Latency   the 99th percentile of request latency, at most this
 */
public record Guardrails(Double maxErrorPercent, Duration maxP99Latency, List<SignalGuardrail> signals) {
    public static final int MAX_SIGNALS = 16;
    public static final Duration MAX_LATENCY_BOUND = Duration.ofHours(1);

    public Guardrails {
        if (maxErrorPercent != null && (!Double.isFinite(maxErrorPercent) || maxErrorPercent < 0 || maxErrorPercent > 100)) {
            throw KeelException.invalid("'guardrails.max_error_percent' must be a percentage from 0 to 100 (got "
                    + maxErrorPercent + ")");
        }
        if (maxP99Latency != null && (maxP99Latency.isNegative() || maxP99Latency.isZero()
                || maxP99Latency.compareTo(MAX_LATENCY_BOUND) > 0)) {
            throw KeelException.invalid("'guardrails.max_p99_latency' must be above 0 and at most 1 hour (got "
                    + maxP99Latency + ")");
        }
        signals = signals == null ? List.of() : checked(signals);
        if (maxErrorPercent == null && maxP99Latency == null && signals.isEmpty()) {
            throw KeelException.invalid("'guardrails' must set at least one of max_error_percent, max_p99_latency, signals");
        }
    }

    private static List<SignalGuardrail> checked(List<SignalGuardrail> signals) {
        Checks.requireMaxSize("guardrails.signals", signals, MAX_SIGNALS);
        List<SignalGuardrail> checked = new ArrayList<>(signals.size());
        for (int i = 0; i < signals.size(); i++) {
            checked.add(Checks.requireNonNull("guardrails.signals[" + i + "]", signals.get(i)));
        }
        return List.copyOf(checked);
    }

    public static Guardrails errorsAndLatency(double maxErrorPercent, Duration maxP99Latency) {
        return new Guardrails(maxErrorPercent, maxP99Latency, List.of());
    }
}
