package dev.keel.serving.rollout;

import dev.keel.api.serving.Moments;
import dev.keel.api.serving.Totals;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * One variant's request outcomes: a sliding window of time buckets for rollout analysis, and
 * totals since the statistics started for A/B comparisons.
 *
 * <p>Recording is on the request path, so it takes no lock and allocates nothing in the common
 * case: a bucket is a ring slot that the first request of a new time slice replaces (one small
 * allocation per slice, not per request). A request racing that replacement may land in the old
 * bucket and be lost to the window; the totals still count it.
 */
public final class VariantStatistics {
    /** Distinct signal names kept per variant: a caller sending ever-new names must not grow memory. */
    static final int MAX_SIGNALS = 32;

    private final Clock clock;
    private final long widthMillis;
    private final AtomicReferenceArray<TimeBucket> ring;
    private final Instant since;
    private final LongAdder requests = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final DoubleAdder latencySum = new DoubleAdder();
    private final DoubleAdder latencySumOfSquares = new DoubleAdder();
    private final Map<String, SignalSum> signals = new ConcurrentHashMap<>();

    VariantStatistics(Clock clock, long widthMillis, int buckets) {
        this.clock = clock;
        this.widthMillis = widthMillis;
        this.ring = new AtomicReferenceArray<>(buckets);
        this.since = clock.instant();
    }

    /** One answered request: how long it took and whether it failed. */
    public void record(long latencyNanos, boolean failed) {
        bucket(clock.millis()).record(LatencyHistogram.index(latencyNanos / 1000), failed);
        requests.increment();
        if (failed) {
            errors.increment();
        }
        double millis = latencyNanos / 1e6;
        latencySum.add(millis);
        latencySumOfSquares.add(millis * millis);
    }

    /** As above, with model signal values seen on this request (a score, a drift statistic). */
    public void record(long latencyNanos, boolean failed, Map<String, Double> signalValues) {
        record(latencyNanos, failed);
        if (signalValues != null) {
            signalValues.forEach(this::recordSignal);
        }
    }

    /**
     * A model signal value on its own (feedback that arrives after the answer, such as whether a
     * prediction was right). Values that are not finite, and names past the first 32, are dropped:
     * a guardrail must not be poisoned or memory grown from the request path.
     */
    public void recordSignal(String signal, Double value) {
        if (signal == null || value == null || !Double.isFinite(value)) {
            return;
        }
        bucket(clock.millis()).signal(signal, value, MAX_SIGNALS);
        SignalSum.add(signals, signal, value, MAX_SIGNALS);
    }

    private TimeBucket bucket(long nowMillis) {
        long epoch = Math.floorDiv(nowMillis, widthMillis);
        int slot = (int) Math.floorMod(epoch, (long) ring.length());
        TimeBucket bucket = ring.get(slot);
        while (bucket == null || bucket.epoch < epoch) {
            TimeBucket fresh = new TimeBucket(epoch);
            if (ring.compareAndSet(slot, bucket, fresh)) {
                return fresh;
            }
            bucket = ring.get(slot);
        }
        // a clock that stepped back lands in the newer bucket of its slot rather than in none
        return bucket;
    }

    /** The traffic in the buckets that overlap [{@code from}, {@code to}], at most the ring's span back from {@code to}. */
    public Window window(Instant from, Instant to) {
        long first = Math.floorDiv(from.toEpochMilli(), widthMillis);
        long last = Math.floorDiv(to.toEpochMilli(), widthMillis);
        first = Math.max(first, last - ring.length() + 1);
        List<WindowBucket> buckets = new ArrayList<>();
        for (long epoch = first; epoch <= last; epoch++) {
            TimeBucket bucket = ring.get((int) Math.floorMod(epoch, (long) ring.length()));
            if (bucket != null && bucket.epoch == epoch) {
                buckets.add(bucket.snapshot(widthMillis));
            }
        }
        return Window.of(from, to, buckets);
    }

    public Totals totals() {
        return new Totals(since, requests.sum(), errors.sum(),
                new Moments(requests.sum(), latencySum.sum(), latencySumOfSquares.sum()), SignalSum.moments(signals));
    }
}
