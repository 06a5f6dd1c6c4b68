package dev.keel.serving.rollout;

import dev.keel.api.serving.CanaryAnalysis;
import dev.keel.api.serving.GuardrailCheck;
import dev.keel.api.serving.Guardrails;
import dev.keel.api.serving.SignalGuardrail;
import dev.keel.api.serving.Totals;
import dev.keel.api.serving.Verdict;
import dev.keel.store.SettableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class AnalysisTest {
    private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
    private static final Duration MS = Duration.ofMillis(1);

    private final SettableClock clock = new SettableClock(T0);
    private final TrafficStatistics statistics = new TrafficStatistics(clock);
    private final VariantStatistics canary = statistics.variant("shop", "canary");

    private static CanaryAnalysis plan(long minSamples, Guardrails guardrails) {
        return new CanaryAnalysis(Duration.ofMinutes(1), minSamples, 3, guardrails);
    }

    private static final Guardrails ERRORS_AND_LATENCY = Guardrails.errorsAndLatency(5, Duration.ofMillis(200));

    /** {@code n} requests in second {@code second} after T0, every {@code errorEvery}-th failing (0: none). */
    private void traffic(int second, int n, long latencyMillis, int errorEvery) {
        clock.set(T0.plusSeconds(second));
        for (int i = 1; i <= n; i++) {
            canary.record(latencyMillis * 1_000_000, errorEvery > 0 && i % errorEvery == 0);
        }
    }

    private AnalysisResult analyse(CanaryAnalysis plan, ModelSignals signals) {
        Instant now = clock.instant();
        return new Analysis(signals).evaluate(plan, "shop", "canary", canary.window(T0, now));
    }

    @Test
    void a_healthy_canary_with_enough_samples_passes() {
        for (int s = 0; s < 10; s++) {
            traffic(s, 50, 20, 100);
        }
        AnalysisResult result = analyse(plan(400, ERRORS_AND_LATENCY), ModelSignals.NONE);
        assertThat(result.verdict()).isEqualTo(Verdict.PASS);
        assertThat(result.samples()).isEqualTo(500);
        assertThat(result.checks()).extracting(GuardrailCheck::guardrail).containsExactly("error_rate", "p99_latency");
    }

    @Test
    void too_few_samples_are_inconclusive() {
        traffic(0, 50, 20, 0);
        AnalysisResult result = analyse(plan(400, ERRORS_AND_LATENCY), ModelSignals.NONE);
        assertThat(result.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    }

    @Test
    void errors_that_make_a_breach_certain_fail_before_the_minimum_sample() {
        // 25 errors already exceed 5% of 400: no later success can bring the rate back under
        traffic(0, 50, 20, 2);
        AnalysisResult result = analyse(plan(400, ERRORS_AND_LATENCY), ModelSignals.NONE);
        assertThat(result.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(result.reason()).contains("error_rate");
        assertThat(result.firstBreachAt()).isEqualTo(T0);
    }

    @Test
    void a_slow_canary_breaches_p99_from_the_second_it_turned_slow() {
        for (int s = 0; s < 30; s++) {
            traffic(s, 40, s < 20 ? 20 : 800, 0);
        }
        AnalysisResult result = analyse(plan(400, ERRORS_AND_LATENCY), ModelSignals.NONE);
        assertThat(result.verdict()).isEqualTo(Verdict.FAIL);
        GuardrailCheck latency = result.checks().get(1);
        assertThat(latency.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(latency.observed()).isGreaterThanOrEqualTo(800);
        assertThat(result.firstBreachAt()).isEqualTo(T0.plusSeconds(20));
    }

    @Test
    void an_isolated_bad_second_before_a_steady_breach_does_not_move_its_start() {
        traffic(3, 40, 20, 1);               // one bad second
        for (int s = 4; s < 15; s++) {
            traffic(s, 40, 20, 0);
        }
        for (int s = 15; s < 25; s++) {
            traffic(s, 40, 20, 3);           // a third failing from second 15 on
        }
        AnalysisResult result = analyse(plan(100, ERRORS_AND_LATENCY), ModelSignals.NONE);
        assertThat(result.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(result.firstBreachAt()).isEqualTo(T0.plusSeconds(15));
    }

    @Test
    void reported_signal_values_feed_signal_guardrails() {
        Guardrails drift = new Guardrails(null, null,
                List.of(new SignalGuardrail("drift", SignalGuardrail.Bound.AT_MOST, 0.2, 50)));
        for (int s = 0; s < 5; s++) {
            clock.set(T0.plusSeconds(s));
            for (int i = 0; i < 20; i++) {
                canary.record(10 * MS.toNanos(), false, Map.of("drift", s < 3 ? 0.1 : 0.9));
            }
        }
        AnalysisResult result = analyse(plan(10, drift), ModelSignals.NONE);
        assertThat(result.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(result.checks().get(0).observed()).isCloseTo(0.42, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(result.firstBreachAt()).isEqualTo(T0.plusSeconds(3));
    }

    @Test
    void a_monitoring_source_answers_for_a_signal_before_reported_values() {
        Guardrails accuracy = new Guardrails(null, null,
                List.of(new SignalGuardrail("accuracy", SignalGuardrail.Bound.AT_LEAST, 0.8, 100)));
        traffic(0, 10, 10, 0);
        ModelSignals monitoring = (endpoint, variant, signal, from, to) ->
                endpoint.equals("shop") && variant.equals("canary") && signal.equals("accuracy")
                        ? Optional.of(new SignalReading(0.71, 250)) : Optional.empty();
        assertThat(analyse(plan(1, accuracy), monitoring).verdict()).isEqualTo(Verdict.FAIL);
        assertThat(analyse(plan(1, accuracy), (e, v, s, f, t) -> Optional.of(new SignalReading(0.93, 250))).verdict())
                .isEqualTo(Verdict.PASS);
        // too few labelled samples yet, and nothing reported: not evidence
        assertThat(analyse(plan(1, accuracy), (e, v, s, f, t) -> Optional.of(new SignalReading(0.5, 20))).verdict())
                .isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(analyse(plan(1, accuracy), ModelSignals.NONE).verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    }

    @Test
    void a_window_holds_only_its_own_time_and_never_more_than_the_ring() {
        TrafficStatistics small = new TrafficStatistics(clock, Duration.ofSeconds(1), 10);
        VariantStatistics variant = small.variant("shop", "v");
        for (int s = 0; s < 30; s++) {
            clock.set(T0.plusSeconds(s));
            variant.record(MS.toNanos(), false);
        }
        assertThat(variant.window(T0.plusSeconds(25), T0.plusSeconds(29)).requests()).isEqualTo(5);
        // the ring keeps 10 seconds; older ones have been overwritten
        assertThat(variant.window(T0, T0.plusSeconds(29)).requests()).isEqualTo(10);
        assertThat(variant.totals().requests()).isEqualTo(30);
    }

    @Test
    void non_finite_signal_values_and_endless_signal_names_are_dropped() {
        canary.recordSignal("drift", Double.NaN);
        canary.recordSignal("drift", Double.POSITIVE_INFINITY);
        for (int i = 0; i < 100; i++) {
            canary.recordSignal("name-" + i, 1.0);
        }
        Totals totals = canary.totals();
        assertThat(totals.signals()).doesNotContainKey("drift");
        assertThat(totals.signals()).hasSize(VariantStatistics.MAX_SIGNALS);
    }
}
