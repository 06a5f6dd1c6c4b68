package dev.keel.serving.endpoint;

import dev.keel.api.serving.Canary;
import dev.keel.api.serving.CanaryAnalysis;
import dev.keel.api.serving.Endpoint;
import dev.keel.api.serving.Guardrails;
import dev.keel.api.serving.Shadow;
import dev.keel.api.serving.TrafficPolicy;
import dev.keel.api.serving.Variant;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Endpoints and plans for tests (the endpoint contract in keel-server uses them too). */
public final class Endpoints {
    public static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
    public static final Variant V1 = Variant.of("v1", "models:/churn/1");
    public static final Variant V2 = Variant.of("v2", "models:/churn/2");
    public static final Variant V3 = Variant.of("v3", "models:/churn/3");
    public static final CanaryAnalysis ANALYSIS = new CanaryAnalysis(Duration.ofMinutes(1), 100, 3,
            Guardrails.errorsAndLatency(5, Duration.ofMillis(200)));

    private Endpoints() {
    }

    public static Endpoint endpoint(String name, TrafficPolicy policy, Shadow shadow, long version) {
        return new Endpoint(name, List.of(V1, V2, V3), policy, shadow, version, "test", T0, T0);
    }

    public static Endpoint endpoint(String name, TrafficPolicy policy) {
        return endpoint(name, policy, null, 1);
    }

    public static Canary canary(int step) {
        return new Canary("v1", "v2", List.of(10.0, 50.0, 100.0), step, ANALYSIS);
    }
}
