package dev.keel.client;

import dev.keel.api.serving.AbTest;
import dev.keel.api.serving.BlueGreen;
import dev.keel.api.serving.Canary;
import dev.keel.api.serving.CanaryAnalysis;
import dev.keel.api.serving.Endpoint;
import dev.keel.api.serving.GuardrailCheck;
import dev.keel.api.serving.Guardrails;
import dev.keel.api.serving.ModelReference;
import dev.keel.api.serving.Moments;
import dev.keel.api.serving.RollbackReport;
import dev.keel.api.serving.Rollout;
import dev.keel.api.serving.RolloutEvent;
import dev.keel.api.serving.RolloutStatus;
import dev.keel.api.serving.Shadow;
import dev.keel.api.serving.SignalGuardrail;
import dev.keel.api.serving.Single;
import dev.keel.api.serving.Totals;
import dev.keel.api.serving.TrafficPolicy;
import dev.keel.api.serving.Variant;
import dev.keel.api.serving.Verdict;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The wire shapes of {@code /api/v1/endpoints} as the server writes them
 * ({@code dev.keel.server.http.EndpointBodies}): times in epoch milliseconds, durations in
 * milliseconds, a traffic policy as {@code {"kind": …}} with that kind's fields. Each converts
 * to and from the serving API's values, whose constructors check them again.
 */
final class EndpointWire {
    private EndpointWire() {
    }

    record VariantBody(String name, String model) {
        static VariantBody of(Variant variant) {
            return new VariantBody(variant.name(), variant.model().uri());
        }

        Variant toVariant() {
            return new Variant(name, ModelReference.parse("variant model", model));
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record SignalBody(String signal, String bound, Double threshold, Long minSamples) {
        static SignalBody of(SignalGuardrail guardrail) {
            return new SignalBody(guardrail.signal(), guardrail.bound().name().toLowerCase(Locale.ROOT),
                    guardrail.threshold(), guardrail.minSamples());
        }

        SignalGuardrail toGuardrail() {
            return new SignalGuardrail(signal, SignalGuardrail.Bound.valueOf(bound.toUpperCase(Locale.ROOT)), threshold,
                    minSamples);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record GuardrailsBody(Double maxErrorPercent, Long maxP99LatencyMs, List<SignalBody> signals) {
        static GuardrailsBody of(Guardrails guardrails) {
            return new GuardrailsBody(guardrails.maxErrorPercent(), guardrails.maxP99Latency() == null ? null
                    : guardrails.maxP99Latency().toMillis(), guardrails.signals().stream().map(SignalBody::of).toList());
        }

        Guardrails toGuardrails() {
            return new Guardrails(maxErrorPercent, maxP99LatencyMs == null ? null : Duration.ofMillis(maxP99LatencyMs),
                    signals == null ? List.of() : signals.stream().map(SignalBody::toGuardrail).toList());
        }
    }

    record AnalysisBody(long intervalMs, long minSamples, int inconclusiveLimit, GuardrailsBody guardrails) {
        static AnalysisBody of(CanaryAnalysis analysis) {
            return new AnalysisBody(analysis.interval().toMillis(), analysis.minSamples(), analysis.inconclusiveLimit(),
                    GuardrailsBody.of(analysis.guardrails()));
        }

        CanaryAnalysis toAnalysis() {
            return new CanaryAnalysis(Duration.ofMillis(intervalMs), minSamples, inconclusiveLimit,
                    guardrails.toGuardrails());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record PolicyBody(String kind, String variant, String active, String standby, Long keepWarmMs, Long lastSwitchTime,
                      Map<String, Double> weights, String stable, String canary, List<Double> steps, Integer step,
                      AnalysisBody analysis) {
        /** What a write sends: a canary is never written (it is started), and a switch time is the server's. */
        static PolicyBody of(TrafficPolicy policy) {
            if (policy instanceof Single single) {
                return new PolicyBody("single", single.variant(), null, null, null, null, null, null, null, null, null, null);
            }
            if (policy instanceof BlueGreen blueGreen) {
                return new PolicyBody("blue_green", null, blueGreen.active(), blueGreen.standby(),
                        blueGreen.keepWarm().toMillis(), null, null, null, null, null, null, null);
            }
            if (policy instanceof AbTest ab) {
                return new PolicyBody("ab_test", null, null, null, null, null, ab.weights(), null, null, null, null, null);
            }
            Canary canary = (Canary) policy;
            return new PolicyBody("canary", null, null, null, null, null, null, canary.stable(), canary.canary(),
                    canary.steps(), canary.step(), AnalysisBody.of(canary.analysis()));
        }

        TrafficPolicy toPolicy() {
            switch (kind) {
                case "single" -> {
                    return new Single(variant);
                }
                case "blue_green" -> {
                    return new BlueGreen(active, standby, Duration.ofMillis(keepWarmMs), instant(lastSwitchTime));
                }
                case "ab_test" -> {
                    return new AbTest(weights);
                }
                case "canary" -> {
                    return new Canary(stable, canary, steps, step, analysis.toAnalysis());
                }
                default -> throw new IllegalStateException("the server answered a policy of unknown kind '" + kind
                        + "': this client is older than the server");
            }
        }
    }

    record ShadowBody(String variant, double percent) {
        Shadow toShadow() {
            return new Shadow(variant, percent);
        }
    }

    record NewEndpointBody(String name, List<VariantBody> variants, PolicyBody policy, ShadowBody shadow) {
    }

    record EndpointBody(String name, List<VariantBody> variants, PolicyBody policy, ShadowBody shadow, long version,
                        String createdBy, long createdTime, long updatedTime) {
        Endpoint toEndpoint() {
            return new Endpoint(name, variants.stream().map(VariantBody::toVariant).toList(), policy.toPolicy(),
                    shadow == null ? null : shadow.toShadow(), version, createdBy, Instant.ofEpochMilli(createdTime),
                    Instant.ofEpochMilli(updatedTime));
        }
    }

    record EndpointList(List<EndpointBody> endpoints) {
    }

    record PolicyUpdateBody(long expectedVersion, List<VariantBody> variants, PolicyBody policy) {
    }

    record ShadowUpdateBody(long expectedVersion, String variant, double percent) {
    }

    record SwitchBody(String variant) {
    }

    record CanaryStartBody(VariantBody variant, List<Double> steps, AnalysisBody analysis) {
    }

    record ReasonBody(String reason) {
    }

    record RolloutEventBody(long time, String actor, String kind, double canaryWeight, String detail) {
        RolloutEvent toEvent() {
            return new RolloutEvent(Instant.ofEpochMilli(time), actor, kind, canaryWeight, detail);
        }
    }

    record GuardrailCheckBody(String guardrail, double observed, double bound, long samples, Verdict verdict,
                              Long firstBreachTime) {
        GuardrailCheck toCheck() {
            return new GuardrailCheck(guardrail, observed, bound, samples, verdict, instant(firstBreachTime));
        }
    }

    record RollbackBody(String reason, List<GuardrailCheckBody> breaches, double canaryWeight, long firstBreachTime,
                        long detectedTime, long rolledBackTime) {
        RollbackReport toReport() {
            return new RollbackReport(reason, breaches.stream().map(GuardrailCheckBody::toCheck).toList(), canaryWeight,
                    Instant.ofEpochMilli(firstBreachTime), Instant.ofEpochMilli(detectedTime),
                    Instant.ofEpochMilli(rolledBackTime));
        }
    }

    record RolloutBody(long id, String endpoint, String stable, String canary, String canaryModel, List<Double> steps,
                       AnalysisBody analysis, int step, RolloutStatus status, String reason, long startedTime,
                       long stepStartedTime, Long checkDueTime, int inconclusiveChecks, Long endedTime, long revision,
                       List<RolloutEventBody> history, RollbackBody rollback) {
        Rollout toRollout() {
            return new Rollout(id, endpoint, stable, canary, canaryModel, steps, analysis.toAnalysis(), step, status,
                    reason, Instant.ofEpochMilli(startedTime), Instant.ofEpochMilli(stepStartedTime),
                    instant(checkDueTime), inconclusiveChecks, instant(endedTime), revision,
                    history.stream().map(RolloutEventBody::toEvent).toList(),
                    rollback == null ? null : rollback.toReport());
        }
    }

    record RolloutList(List<RolloutBody> rollouts) {
    }

    record TotalsBody(long sinceTime, long requests, long errors, Moments latencyMs, Map<String, Moments> signals) {
        Totals toTotals() {
            return new Totals(Instant.ofEpochMilli(sinceTime), requests, errors, latencyMs,
                    signals == null ? Map.of() : signals);
        }
    }

    record TotalsList(Map<String, TotalsBody> variants) {
    }

    private static Instant instant(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }
}
