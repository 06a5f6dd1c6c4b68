package dev.keel.api.serving;

import dev.keel.core.Checks;
import dev.keel.core.KeelException;

/**
 * What an A/B comparison compares: the error rate (a proportion), request latency, or a model
 * signal the serving path reported (a score, a conversion value), each with its fitting test.
 *
 * @param signal the signal's name for {@link Kind#SIGNAL}; null otherwise
 */
public record ComparedMetric(Kind kind, String signal) {
    public enum Kind { ERROR_RATE, LATENCY, SIGNAL }

    public static final ComparedMetric ERROR_RATE = new ComparedMetric(Kind.ERROR_RATE, null);
    public static final ComparedMetric LATENCY = new ComparedMetric(Kind.LATENCY, null);

    public ComparedMetric {
        Checks.requireNonNull("metric", kind);
        if (kind == Kind.SIGNAL) {
            SignalGuardrail.requireValidName("metric", signal);
        } else if (signal != null) {
            throw KeelException.invalid("'metric' " + kind.name().toLowerCase() + " takes no signal name");
        }
    }

    public static ComparedMetric signal(String name) {
        return new ComparedMetric(Kind.SIGNAL, name);
    }

    /** {@code error_rate}, {@code latency} or {@code signal:NAME}, or a 400 naming {@code field}. */
    public static ComparedMetric parse(String field, String text) {
        Checks.requireNonBlank(field, text);
        if (text.equals("error_rate")) {
            return ERROR_RATE;
        }
        if (text.equals("latency")) {
            return LATENCY;
        }
        if (text.startsWith("signal:")) {
            return signal(text.substring("signal:".length()));
        }
        throw KeelException.invalid("'" + field + "' must be error_rate, latency or signal:NAME (got '"
                + Checks.requireMaxLength(field, text, 100) + "')");
    }

    @Override
    public String toString() {
        return kind == Kind.SIGNAL ? "signal:" + signal : kind.name().toLowerCase();
    }
}
