package dev.keel.serving.rollout;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class LatencyHistogramTest {

    @Test
    void every_value_falls_in_a_bucket_that_holds_it_and_is_at_most_an_eighth_wide() {
        for (long micros = 0; micros < 5_000_000; micros = micros < 100 ? micros + 1 : micros * 11 / 10 + 1) {
            int index = LatencyHistogram.index(micros);
            long lower = LatencyHistogram.lowerBound(index);
            long upper = LatencyHistogram.upperBound(index);
            assertThat(micros).as("value").isBetween(lower, upper - 1);
            if (micros >= 8) {
                assertThat((double) (upper - lower) / lower).as("width at " + micros).isLessThanOrEqualTo(0.125);
            }
        }
        assertThat(LatencyHistogram.index(Long.MAX_VALUE)).isEqualTo(LatencyHistogram.BUCKETS - 1);
        assertThat(LatencyHistogram.index(-5)).isZero();
    }

    @Test
    void buckets_are_contiguous() {
        for (int i = 0; i + 1 < LatencyHistogram.BUCKETS; i++) {
            assertThat(LatencyHistogram.upperBound(i)).isEqualTo(LatencyHistogram.lowerBound(i + 1));
        }
    }

    @Test
    void p99_is_never_below_the_true_value_and_at_most_an_eighth_above() {
        LatencyHistogram histogram = new LatencyHistogram();
        // 1..1000 ms: the true p99 is 990 ms
        for (long ms = 1; ms <= 1000; ms++) {
            histogram.add(LatencyHistogram.index(ms * 1000), 1);
        }
        Duration p99 = histogram.percentile(0.99);
        assertThat(p99).isGreaterThanOrEqualTo(Duration.ofMillis(990));
        assertThat(p99.toNanos()).isLessThanOrEqualTo((long) (990e6 * 1.125));
        assertThat(new LatencyHistogram().percentile(0.99)).isEqualTo(Duration.ZERO);
    }

    @Test
    void counting_past_a_bound_agrees_with_the_percentile() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (int i = 0; i < 98; i++) {
            histogram.add(LatencyHistogram.index(5_000), 1);
        }
        histogram.add(LatencyHistogram.index(900_000), 2);
        // 2 of 100 slow: more than 100 - ceil(0.99 * 100) = 1, so the p99 is past the bound
        assertThat(histogram.countReachingPast(Duration.ofMillis(500))).isEqualTo(2);
        assertThat(histogram.percentile(0.99)).isGreaterThan(Duration.ofMillis(500));
    }
}
