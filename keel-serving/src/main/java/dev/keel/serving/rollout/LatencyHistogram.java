package dev.keel.serving.rollout;

import java.time.Duration;

/**
 * Latencies in microseconds, counted in log-spaced buckets: exact below 8 µs, then eight buckets
 * per power of two (each at most 12.5% wide) up to about 36 minutes; slower values count in the
 * last bucket. 232 counters cover the whole range, so one bucket of a sliding window stays
 * small, and the bucket of a value is found with a few shifts, no logarithm.
 *
 * <p>A percentile is reported as the upper edge of the bucket it falls in: never below the true
 * value, at most 12.5% above it. A guardrail can therefore fire on a p99 up to 12.5% under its
 * bound, never miss one over it.
 *
 * <p>This class is the snapshot form (plain longs, one reader); the live counters of a window
 * bucket are atomic and indexed with {@link #index}.
 */
public final class LatencyHistogram {
    static final int SUB_BITS = 3;
    static final int SUB_BUCKETS = 1 << SUB_BITS;
    /** The largest value told apart: 2^31 - 1 µs. */
    static final long MAX_MICROS = (1L << 31) - 1;
    static final int BUCKETS = index(MAX_MICROS) + 1;

    private final long[] counts = new long[BUCKETS];
    private long count;

    /** The bucket of a latency in microseconds. */
    static int index(long micros) {
        if (micros < SUB_BUCKETS) {
            return (int) Math.max(micros, 0);
        }
        long value = Math.min(micros, MAX_MICROS);
        int exponent = 63 - Long.numberOfLeadingZeros(value);
        int sub = (int) (value >>> (exponent - SUB_BITS)) & (SUB_BUCKETS - 1);
        return (exponent - SUB_BITS + 1) * SUB_BUCKETS + sub;
    }

    /** The smallest value in bucket {@code index}, in microseconds. */
    static long lowerBound(int index) {
        if (index < SUB_BUCKETS) {
            return index;
        }
        int exponent = index / SUB_BUCKETS + SUB_BITS - 1;
        long sub = index % SUB_BUCKETS;
        return (SUB_BUCKETS + sub) << (exponent - SUB_BITS);
    }

    /** The first value past bucket {@code index}, in microseconds. */
    static long upperBound(int index) {
        return index + 1 < BUCKETS ? lowerBound(index + 1) : MAX_MICROS + 1;
    }

    void add(int index, long n) {
        counts[index] += n;
        count += n;
    }

    void addAll(LatencyHistogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        count += other.count;
    }

    public long count() {
        return count;
    }

    /** The {@code quantile} (0 to 1) as the upper edge of its bucket; zero when empty. */
    public Duration percentile(double quantile) {
        if (count == 0) {
            return Duration.ZERO;
        }
        long rank = Math.max(1, (long) Math.ceil(quantile * count));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Duration.ofNanos(upperBound(i) * 1000);
            }
        }
        return Duration.ofNanos(upperBound(BUCKETS - 1) * 1000);
    }

    /**
     * Samples in buckets that reach past {@code bound}: the ones that can carry a percentile
     * above it. A percentile q is above the bound exactly when more than {@code n - ceil(q n)}
     * samples are counted here.
     */
    public long countReachingPast(Duration bound) {
        long micros = bound.toNanos() / 1000;
        long past = 0;
        for (int i = BUCKETS - 1; i >= 0 && upperBound(i) > micros; i--) {
            past += counts[i];
        }
        return past;
    }
}
