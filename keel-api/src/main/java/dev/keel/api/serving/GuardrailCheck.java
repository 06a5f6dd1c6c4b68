package dev.keel.api.serving;

import java.time.Instant;
import java.util.Locale;

/**
 * One guardrail checked against one window.
 *
 * @param guardrail      {@code error_rate}, {@code p99_latency} or {@code signal:NAME}
 * @param observed       the value seen (percent, milliseconds, or the signal's unit); NaN without data
 * @param bound          the guardrail's bound in the same unit
 * @param firstBreachAt  for a breach: when the breach began, as the start of the last unbroken run
 *                       of time buckets that breached on their own; null when not known
 */
public record GuardrailCheck(String guardrail, double observed, double bound, long samples, Verdict verdict,
                             Instant firstBreachAt) {

    /** "error_rate 12.50 > 5.00 over 400 samples" */
    public String describe() {
        String relation = switch (verdict) {
            case FAIL -> guardrail.equals("error_rate") || guardrail.equals("p99_latency") ? " > " : " breaches ";
            case PASS -> " within ";
            case INCONCLUSIVE -> " not yet known against ";
        };
        return guardrail + " " + (Double.isNaN(observed) ? "-" : String.format(Locale.ROOT, "%.2f", observed))
                + relation + String.format(Locale.ROOT, "%.2f", bound) + " over " + samples + " samples";
    }
}
