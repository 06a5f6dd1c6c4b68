package dev.keel.serving.rollout;

import dev.keel.api.serving.Moments;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/** One time slice of a variant's sliding window: live counters that requests add to without locks. */
final class TimeBucket {
    /** The bucket's start in whole bucket widths since the epoch: which slice of time it holds. */
    final long epoch;
    final AtomicLong requests = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicLongArray latency = new AtomicLongArray(LatencyHistogram.BUCKETS);
    /** Made on the first signal value; most endpoints report none. */
    private volatile Map<String, SignalSum> signals;

    TimeBucket(long epoch) {
        this.epoch = epoch;
    }

    void record(int latencyIndex, boolean failed) {
        requests.incrementAndGet();
        latency.incrementAndGet(latencyIndex);
        if (failed) {
            errors.incrementAndGet();
        }
    }

    void signal(String name, double value, int maxSignals) {
        Map<String, SignalSum> map = signals;
        if (map == null) {
            synchronized (this) {
                map = signals;
                if (map == null) {
                    map = new ConcurrentHashMap<>();
                    signals = map;
                }
            }
        }
        SignalSum.add(map, name, value, maxSignals);
    }

    WindowBucket snapshot(long widthMillis) {
        LatencyHistogram histogram = new LatencyHistogram();
        for (int i = 0; i < LatencyHistogram.BUCKETS; i++) {
            long n = latency.get(i);
            if (n != 0) {
                histogram.add(i, n);
            }
        }
        Map<String, SignalSum> map = signals;
        Map<String, Moments> signalMoments = map == null ? new TreeMap<>() : SignalSum.moments(map);
        return new WindowBucket(Instant.ofEpochMilli(epoch * widthMillis), requests.get(), errors.get(),
                histogram, signalMoments);
    }
}
