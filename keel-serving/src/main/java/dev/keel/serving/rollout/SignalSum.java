package dev.keel.serving.rollout;

import dev.keel.api.serving.Moments;
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
}
