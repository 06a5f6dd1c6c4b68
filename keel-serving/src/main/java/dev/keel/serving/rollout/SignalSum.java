package dev.keel.serving.rollout;

import dev.keel.api.serving.Moments;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** Live sums of one signal's values: adders, so concurrent requests never wait on each other. */
final class SignalSum {
    private final LongAdder count = new LongAdder();
    private final DoubleAdder sum = new DoubleAdder();
    private final DoubleAdder sumOfSquares = new DoubleAdder();

    void add(double value) {
        count.increment();
        sum.add(value);
        sumOfSquares.add(value * value);
    }

    Moments moments() {
        return new Moments(count.sum(), sum.sum(), sumOfSquares.sum());
    }

    /**
     * Adds {@code value} to the sum named {@code name} in {@code sums} (a concurrent map), making
     * that sum unless {@code sums} already holds {@code maxSignals} names. The common case, a
     * name already there, takes no lock and allocates nothing.
     */
    static void add(Map<String, SignalSum> sums, String name, double value, int maxSignals) {
        SignalSum sum = sums.get(name);
        if (sum == null) {
            if (sums.size() >= maxSignals) {
                return;
            }
            sum = sums.computeIfAbsent(name, ignored -> new SignalSum());
        }
        sum.add(value);
    }

    /** Each sum's moments as read now, by name in order. */
    static Map<String, Moments> moments(Map<String, SignalSum> sums) {
        Map<String, Moments> moments = new TreeMap<>();
        sums.forEach((name, sum) -> moments.put(name, sum.moments()));
        return moments;
    }
}
