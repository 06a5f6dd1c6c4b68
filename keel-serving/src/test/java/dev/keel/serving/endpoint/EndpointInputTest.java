package dev.keel.serving.endpoint;

import dev.keel.api.serving.AbTest;
import dev.keel.api.serving.BlueGreen;
import dev.keel.api.serving.Canary;
import dev.keel.api.serving.CanaryAnalysis;
import dev.keel.api.serving.CanaryStart;
import dev.keel.api.serving.ComparedMetric;
import dev.keel.api.serving.EndpointRules;
import dev.keel.api.serving.Guardrails;
import dev.keel.api.serving.NewEndpoint;
import dev.keel.api.serving.ServingName;
import dev.keel.api.serving.Shadow;
import dev.keel.api.serving.SignalGuardrail;
import dev.keel.api.serving.Single;
import dev.keel.api.serving.TrafficPolicy;
import dev.keel.api.serving.Variant;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.keel.serving.endpoint.Endpoints.ANALYSIS;
import static dev.keel.serving.endpoint.Endpoints.T0;
import static dev.keel.serving.endpoint.Endpoints.V1;
import static dev.keel.serving.endpoint.Endpoints.V2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Hostile and malformed values for every field of an endpoint and a rollout plan: each a 400 naming the field. */
class EndpointInputTest {
    private static final Guardrails GUARDRAILS = Guardrails.errorsAndLatency(5, Duration.ofMillis(200));

    private static void rejects(String field, ThrowingCallable call) {
        assertThatThrownBy(call).as(field).isInstanceOf(KeelException.class)
                .satisfies(e -> assertThat(((KeelException) e).code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE))
                .hasMessageContaining(field);
    }

    private static NewEndpoint endpoint(String name, List<Variant> variants, TrafficPolicy policy, Shadow shadow) {
        return new NewEndpoint(name, variants, policy, shadow);
    }

    @Test
    void names() {
        for (String bad : new String[] {null, "", "   ", "-leading", ".dot", "has/slash", "a b", "new\nline", "tab\t",
                "x'; DROP TABLE serving_endpoints; --", "ümlaut", "a".repeat(64), "%2e%2e", "../up"}) {
            rejects("name", () -> endpoint(bad, List.of(V1), new Single("v1"), null));
            rejects("variant name", () -> new Variant(bad, V1.model()));
        }
        assertThat(endpoint("a".repeat(63), List.of(V1), new Single("v1"), null).name()).hasSize(63);
        assertThat(endpoint("churn-v2_prod.eu", List.of(V1), new Single("v1"), null).name()).isEqualTo("churn-v2_prod.eu");
    }

    @Test
    void a_message_never_echoes_control_characters() {
        assertThatThrownBy(() -> ServingName.requireValid("name", "evil\r\nX-Injected: 1"))
                .hasMessageNotContaining("\n").hasMessageNotContaining("\r");
    }

    @Test
    void variants() {
        rejects("variants", () -> endpoint("e", null, new Single("v1"), null));
        rejects("variants", () -> endpoint("e", List.of(), new Single("v1"), null));
        rejects("variants[1]", () -> endpoint("e", Arrays.asList(V1, null), new Single("v1"), null));
        rejects("variants[1].name", () -> endpoint("e", List.of(V1, Variant.of("v1", "models:/other/1")),
                new Single("v1"), null));
        List<Variant> many = new ArrayList<>();
        for (int i = 0; i < 17; i++) {
            many.add(Variant.of("v" + i, "models:/churn/" + (i + 1)));
        }
        rejects("variants", () -> endpoint("e", many, new Single("v1"), null));
        rejects("variant model", () -> Variant.of("v1", "models:/churn"));
        rejects("variant model", () -> Variant.of("v1", "s3://bucket/model"));
        rejects("variant model", () -> Variant.of("v1", null));
        rejects("variant model", () -> new Variant("v1", null));
    }

    @Test
    void a_policy_names_only_declared_variants() {
        rejects("policy", () -> endpoint("e", List.of(V1), null, null));
        rejects("policy", () -> endpoint("e", List.of(V1), new Single("ghost"), null));
        rejects("policy", () -> endpoint("e", List.of(V1), new BlueGreen("v1", "ghost", Duration.ZERO), null));
        rejects("policy", () -> endpoint("e", List.of(V1), new AbTest(Map.of("v1", 50.0, "ghost", 50.0)), null));
        rejects("policy", () -> endpoint("e", List.of(V1), new Canary("v1", "ghost", List.of(10.0), 0, ANALYSIS), null));
    }

    @Test
    void shadow() {
        for (double bad : new double[] {-0.1, 100.01, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            rejects("shadow.percent", () -> new Shadow("v2", bad));
        }
        rejects("shadow.variant", () -> new Shadow(null, 10));
        rejects("shadow.variant", () -> new Shadow("bad name", 10));
        rejects("shadow.variant", () -> endpoint("e", List.of(V1), new Single("v1"), new Shadow("ghost", 10)));
        rejects("shadow.variant", () -> EndpointRules.shadowNotLive(new Single("v1"), new Shadow("v1", 10)));
        rejects("shadow.variant", () -> EndpointRules.shadowNotLive(
                new AbTest(Map.of("v1", 50.0, "v2", 50.0)), new Shadow("v2", 10)));
        // the standby of blue-green takes no live traffic, so mirroring to it before a switch is allowed
        EndpointRules.shadowNotLive(new BlueGreen("v1", "v2", Duration.ZERO), new Shadow("v2", 10));
    }

    @Test
    void single_and_blue_green() {
        rejects("policy.variant", () -> new Single(null));
        rejects("policy.active", () -> new BlueGreen(null, "v2", Duration.ZERO));
        rejects("policy.standby", () -> new BlueGreen("v1", "no way", Duration.ZERO));
        rejects("policy.standby", () -> new BlueGreen("v1", "v1", Duration.ZERO));
        rejects("policy.keep_warm", () -> new BlueGreen("v1", "v2", null));
        rejects("policy.keep_warm", () -> new BlueGreen("v1", "v2", Duration.ofSeconds(-1)));
        rejects("policy.keep_warm", () -> new BlueGreen("v1", "v2", Duration.ofDays(8)));
    }

    @Test
    void canary_steps() {
        rejects("policy.steps", () -> new Canary("v1", "v2", null, 0, ANALYSIS));
        rejects("policy.steps", () -> new Canary("v1", "v2", List.of(), 0, ANALYSIS));
        rejects("policy.steps", () -> new Canary("v1", "v2", List.of(10.0, 10.0), 0, ANALYSIS));
        rejects("policy.steps", () -> new Canary("v1", "v2", List.of(50.0, 20.0), 0, ANALYSIS));
        rejects("policy.steps", () -> new Canary("v1", "v2", List.of(0.0, 20.0), 0, ANALYSIS));
        rejects("policy.steps[1]", () -> new Canary("v1", "v2", List.of(10.0, 100.5), 0, ANALYSIS));
        rejects("policy.steps[0]", () -> new Canary("v1", "v2", List.of(-5.0), 0, ANALYSIS));
        rejects("policy.steps[0]", () -> new Canary("v1", "v2", List.of(Double.NaN), 0, ANALYSIS));
        rejects("policy.steps[1]", () -> new Canary("v1", "v2", Arrays.asList(10.0, null), 0, ANALYSIS));
        List<Double> many = new ArrayList<>();
        for (int i = 1; i <= 21; i++) {
            many.add((double) i);
        }
        rejects("policy.steps", () -> new Canary("v1", "v2", many, 0, ANALYSIS));
        rejects("policy.step", () -> new Canary("v1", "v2", List.of(10.0, 50.0), 2, ANALYSIS));
        rejects("policy.step", () -> new Canary("v1", "v2", List.of(10.0, 50.0), -1, ANALYSIS));
        rejects("policy.canary", () -> new Canary("v1", "v1", List.of(10.0), 0, ANALYSIS));
        rejects("policy.analysis", () -> new Canary("v1", "v2", List.of(10.0), 0, null));
        rejects("steps", () -> new CanaryStart(V2, List.of(30.0, 20.0), ANALYSIS));
        rejects("canary", () -> new CanaryStart(null, List.of(20.0), ANALYSIS));
        rejects("analysis", () -> new CanaryStart(V2, List.of(20.0), null));
    }

    @Test
    void ab_weights() {
        rejects("policy.weights", () -> new AbTest(null));
        rejects("policy.weights", () -> new AbTest(Map.of("v1", 100.0)));
        rejects("policy.weights", () -> new AbTest(Map.of("v1", 50.0, "v2", 40.0)));
        rejects("policy.weights", () -> new AbTest(Map.of("v1", 60.0, "v2", 50.0)));
        rejects("policy.weights.v2", () -> new AbTest(Map.of("v1", 100.0, "v2", -10.0)));
        rejects("policy.weights.v1", () -> new AbTest(Map.of("v1", 110.0, "v2", 0.0)));
        rejects("policy.weights.v2", () -> new AbTest(Map.of("v1", 50.0, "v2", Double.NaN)));
        Map<String, Double> nullWeight = new HashMap<>();
        nullWeight.put("v1", 100.0);
        nullWeight.put("v2", null);
        rejects("policy.weights.v2", () -> new AbTest(nullWeight));
        Map<String, Double> nullName = new HashMap<>();
        nullName.put("v1", 50.0);
        nullName.put(null, 50.0);
        rejects("policy.weights variant", () -> new AbTest(nullName));
        Map<String, Double> many = new HashMap<>();
        for (int i = 0; i < 17; i++) {
            many.put("v" + i, 100.0 / 17);
        }
        rejects("policy.weights", () -> new AbTest(many));
        // decimals that add up to 100 within rounding are fine
        assertThat(new AbTest(Map.of("a", 33.33, "b", 33.33, "c", 33.34)).weights()).containsKeys("a", "b", "c");
    }

    @Test
    void analysis_and_guardrails() {
        rejects("analysis.interval", () -> new CanaryAnalysis(null, 100, 3, GUARDRAILS));
        rejects("analysis.interval", () -> new CanaryAnalysis(Duration.ofMillis(500), 100, 3, GUARDRAILS));
        rejects("analysis.interval", () -> new CanaryAnalysis(Duration.ofHours(25), 100, 3, GUARDRAILS));
        rejects("analysis.interval", () -> new CanaryAnalysis(Duration.ofSeconds(-60), 100, 3, GUARDRAILS));
        rejects("analysis.min_samples", () -> new CanaryAnalysis(Duration.ofMinutes(1), 0, 3, GUARDRAILS));
        rejects("analysis.min_samples", () -> new CanaryAnalysis(Duration.ofMinutes(1), -1, 3, GUARDRAILS));
        rejects("analysis.min_samples", () -> new CanaryAnalysis(Duration.ofMinutes(1), Long.MAX_VALUE, 3, GUARDRAILS));
        rejects("analysis.inconclusive_limit", () -> new CanaryAnalysis(Duration.ofMinutes(1), 100, 0, GUARDRAILS));
        rejects("analysis.inconclusive_limit", () -> new CanaryAnalysis(Duration.ofMinutes(1), 100, 101, GUARDRAILS));
        rejects("analysis.guardrails", () -> new CanaryAnalysis(Duration.ofMinutes(1), 100, 3, null));

        rejects("guardrails", () -> new Guardrails(null, null, null));
        rejects("guardrails", () -> new Guardrails(null, null, List.of()));
        rejects("guardrails.max_error_percent", () -> new Guardrails(100.5, null, null));
        rejects("guardrails.max_error_percent", () -> new Guardrails(-1.0, null, null));
        rejects("guardrails.max_error_percent", () -> new Guardrails(Double.NaN, null, null));
        rejects("guardrails.max_p99_latency", () -> new Guardrails(null, Duration.ZERO, null));
        rejects("guardrails.max_p99_latency", () -> new Guardrails(null, Duration.ofMillis(-1), null));
        rejects("guardrails.max_p99_latency", () -> new Guardrails(null, Duration.ofHours(2), null));
        rejects("guardrails.signals[0]", () -> new Guardrails(null, null, Collections.singletonList(null)));
        SignalGuardrail drift = new SignalGuardrail("drift", SignalGuardrail.Bound.AT_MOST, 0.2, 10);
        rejects("guardrails.signals", () -> new Guardrails(null, null, Collections.nCopies(17, drift)));

        rejects("guardrails.signals.signal", () -> new SignalGuardrail(null, SignalGuardrail.Bound.AT_MOST, 1, 1));
        rejects("guardrails.signals.signal", () -> new SignalGuardrail("../etc", SignalGuardrail.Bound.AT_MOST, 1, 1));
        rejects("guardrails.signals.signal", () -> new SignalGuardrail("x".repeat(65), SignalGuardrail.Bound.AT_MOST, 1, 1));
        rejects("guardrails.signals.bound", () -> new SignalGuardrail("drift", null, 1, 1));
        rejects("guardrails.signals.threshold", () -> new SignalGuardrail("drift", SignalGuardrail.Bound.AT_MOST,
                Double.NaN, 1));
        rejects("guardrails.signals.min_samples", () -> new SignalGuardrail("drift", SignalGuardrail.Bound.AT_MOST, 1, 0));
    }

    @Test
    void compared_metric() {
        rejects("metric", () -> ComparedMetric.parse("metric", null));
        rejects("metric", () -> ComparedMetric.parse("metric", "p50"));
        rejects("metric", () -> ComparedMetric.parse("metric", "signal:"));
        rejects("metric", () -> ComparedMetric.parse("metric", "signal:../x"));
        rejects("metric", () -> ComparedMetric.parse("metric", "x".repeat(10_000)));
        assertThat(ComparedMetric.parse("metric", "signal:conversion").signal()).isEqualTo("conversion");
        assertThat(ComparedMetric.parse("metric", "error_rate")).isEqualTo(ComparedMetric.ERROR_RATE);
    }

    @Test
    void a_blue_green_standby_is_warm_until_keep_warm_after_a_switch() {
        BlueGreen fresh = new BlueGreen("v1", "v2", Duration.ofMinutes(10));
        assertThat(fresh.standbyWarm(T0.plus(Duration.ofDays(365)))).isTrue();
        BlueGreen switched = fresh.switched(T0);
        assertThat(switched.active()).isEqualTo("v2");
        assertThat(switched.standbyWarm(T0.plus(Duration.ofMinutes(9)))).isTrue();
        assertThat(switched.standbyWarm(T0.plus(Duration.ofMinutes(10)))).isFalse();
    }
}
