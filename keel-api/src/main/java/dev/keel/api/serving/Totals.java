package dev.keel.api.serving;

import java.time.Instant;
import java.util.Map;

/**
 * A variant's traffic since its statistics were started: what an A/B test compares. Kept in
 * memory by the process that served the traffic.
 *
 * @param latencyMillis request latency in milliseconds
 */
public record Totals(Instant since, long requests, long errors, Moments latencyMillis, Map<String, Moments> signals) {
    public Totals {
        signals = Map.copyOf(signals);
    }

    public double errorPercent() {
        return requests == 0 ? 0 : 100.0 * errors / requests;
    }
}
