package dev.keel.serving.rollout;

import dev.keel.api.serving.Totals;
import dev.keel.core.Checks;
import dev.keel.core.KeelException;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every variant's request outcomes in this process, by endpoint and variant. The router hands
 * out each variant's {@link VariantStatistics} with its routing answer, so the serving path
 * records an outcome without a lookup; the rollout controller and A/B comparisons read here.
 *
 * <p>In memory: a restart starts the statistics afresh (an analysis then waits for new
 * evidence), and with several replicas each sees its own traffic. Monitoring's inference log is
 * the durable, shared record; it can feed guardrails through {@link ModelSignals}.
 */
public final class TrafficStatistics {
    /** One-second buckets over five minutes: the resolution of breach times, and the longest analysis window. */
    public static final Duration DEFAULT_BUCKET = Duration.ofSeconds(1);
    public static final int DEFAULT_BUCKETS = 300;

    private final Clock clock;
    private final long widthMillis;
    private final int buckets;
    private final Map<String, Map<String, VariantStatistics>> endpoints = new ConcurrentHashMap<>();

    public TrafficStatistics(Clock clock) {
        this(clock, DEFAULT_BUCKET, DEFAULT_BUCKETS);
    }

    public TrafficStatistics(Clock clock, Duration bucket, int buckets) {
        this.clock = Checks.requireNonNull("clock", clock);
        if (bucket.toMillis() < 1 || buckets < 2 || buckets > 100_000) {
            throw KeelException.invalid("statistics need buckets of at least 1 ms, 2 to 100000 of them (got "
                    + bucket + " x " + buckets + ")");
        }
        this.widthMillis = bucket.toMillis();
        this.buckets = buckets;
    }

    /** How far back a window reaches: older traffic has left the ring. */
    public Duration span() {
        return Duration.ofMillis(widthMillis * (buckets - 1));
    }

    /** How finely breach times are known. */
    public Duration bucket() {
        return Duration.ofMillis(widthMillis);
    }

    public VariantStatistics variant(String endpoint, String variant) {
        return endpoints.computeIfAbsent(endpoint, ignored -> new ConcurrentHashMap<>())
                .computeIfAbsent(variant, ignored -> new VariantStatistics(clock, widthMillis, buckets));
    }

    /**
     * Starts a variant's statistics afresh: a new canary or A/B test must not inherit an earlier
     * model's outcomes under the same variant name. Routing answers compiled before still hold
     * the old instance until the router installs the endpoint again.
     */
    public void reset(String endpoint, String variant) {
        endpoints.computeIfAbsent(endpoint, ignored -> new ConcurrentHashMap<>())
                .put(variant, new VariantStatistics(clock, widthMillis, buckets));
    }

    /** Drops an endpoint's statistics (it was deleted). */
    public void forget(String endpoint) {
        endpoints.remove(endpoint);
    }

    /** Each variant's totals for an endpoint, by variant name; empty when it served nothing here. */
    public Map<String, Totals> totals(String endpoint) {
        Map<String, Totals> totals = new TreeMap<>();
        Map<String, VariantStatistics> variants = endpoints.get(endpoint);
        if (variants != null) {
            variants.forEach((name, statistics) -> totals.put(name, statistics.totals()));
        }
        return totals;
    }
}
