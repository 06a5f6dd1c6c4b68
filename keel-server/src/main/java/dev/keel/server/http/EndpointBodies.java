package dev.keel.server.http;

import dev.keel.api.serving.AbTest;
import dev.keel.api.serving.BlueGreen;
import dev.keel.api.serving.Canary;
import dev.keel.api.serving.CanaryAnalysis;
import dev.keel.api.serving.CanaryStart;
import dev.keel.api.serving.Endpoint;
import dev.keel.api.serving.GuardrailCheck;
import dev.keel.api.serving.Guardrails;
import dev.keel.api.serving.ModelReference;
import dev.keel.api.serving.Moments;
import dev.keel.api.serving.NewEndpoint;
import dev.keel.api.serving.PolicyUpdate;
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
import dev.keel.core.KeelException;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The wire shapes of endpoints and rollouts. Times are epoch milliseconds ({@code *_time}),
 * durations milliseconds ({@code *_ms}), as elsewhere in the native API. The sealed
 * {@link TrafficPolicy} is spelled with a {@code kind} and the fields of that kind only:
 *
 * <pre>
 * {"kind": "single",     "variant": "blue"}
 * {"kind": "blue_green", "active": "blue", "standby": "green", "keep_warm_ms": 600000}
 * {"kind": "ab_test",    "weights": {"a": 50, "b": 50}}
 * {"kind": "canary",     "stable": "blue", "canary": "green", "steps": [10, 50, 100], "step": 0, "analysis": {…}}
 * </pre>
 *
 * A field of another kind is refused (400 naming it) rather than ignored, so a typo in the kind
 * cannot silently drop the weights someone meant. A canary policy is only ever answered: it is
 * entered by starting a rollout.
 */
public final class EndpointBodies {
    static final List<String> KINDS = List.of("single", "blue_green", "ab_test", "canary");

    private EndpointBodies() {
    }

    /** A variant: a stable name and the model URI it serves ({@code models:/churn/3}, {@code models:/churn@champion}). */
    public record VariantBody(String name, String model) {
        static VariantBody of(Variant variant) {
            return new VariantBody(variant.name(), variant.model().uri());
        }

        Variant toVariant(String field) {
            if (name == null) {
                throw KeelException.invalid("missing value for required parameter '" + field + ".name'");
            }
            if (model == null) {
                throw KeelException.invalid("missing value for required parameter '" + field + ".model'");
            }
            return new Variant(name, ModelReference.parse(field + ".model", model));
        }

        static List<Variant> toVariants(String field, List<VariantBody> bodies) {
            if (bodies == null) {
                throw KeelException.invalid("missing value for required parameter '" + field + "'");
            }
            List<Variant> variants = new ArrayList<>(bodies.size());
            for (int i = 0; i < bodies.size(); i++) {
                VariantBody body = bodies.get(i);
                if (body == null) {
                    throw KeelException.invalid("'" + field + "[" + i + "]' must be a variant, not null");
                }
                variants.add(body.toVariant(field + "[" + i + "]"));
            }
            return variants;
        }
    }

    /** A model-level guardrail: {@code bound} is at_most or at_least. */
    public record SignalBody(String signal, String bound, Double threshold, Long minSamples) {
        static SignalBody of(SignalGuardrail guardrail) {
            return new SignalBody(guardrail.signal(), guardrail.bound().name().toLowerCase(Locale.ROOT),
                    guardrail.threshold(), guardrail.minSamples());
        }

        SignalGuardrail toGuardrail(String field) {
            if (bound == null || threshold == null) {
                throw KeelException.invalid("'" + field + "' needs 'bound' (at_most or at_least) and 'threshold'");
            }
            SignalGuardrail.Bound parsed = switch (bound.toLowerCase(Locale.ROOT)) {
                case "at_most" -> SignalGuardrail.Bound.AT_MOST;
                case "at_least" -> SignalGuardrail.Bound.AT_LEAST;
                default -> throw KeelException.invalid("'" + field + ".bound' must be at_most or at_least (got '"
                        + abbreviate(bound) + "')");
            };
            return new SignalGuardrail(signal, parsed, threshold, minSamples == null ? 1 : minSamples);
        }
    }

    /** What a canary must keep: at least one of the three is set. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record GuardrailsBody(Double maxErrorPercent, Long maxP99LatencyMs, List<SignalBody> signals) {
        static GuardrailsBody of(Guardrails guardrails) {
            return new GuardrailsBody(guardrails.maxErrorPercent(), guardrails.maxP99Latency() == null ? null
                    : guardrails.maxP99Latency().toMillis(), guardrails.signals().stream().map(SignalBody::of).toList());
        }

        Guardrails toGuardrails() {
            List<SignalGuardrail> parsed = new ArrayList<>();
            if (signals != null) {
                if (signals.size() > Guardrails.MAX_SIGNALS) {
                    throw KeelException.invalid("'analysis.guardrails.signals' may hold at most " + Guardrails.MAX_SIGNALS
                            + " guardrails (got " + signals.size() + ")");
                }
                for (int i = 0; i < signals.size(); i++) {
                    String field = "analysis.guardrails.signals[" + i + "]";
                    if (signals.get(i) == null) {
                        throw KeelException.invalid("'" + field + "' must be a guardrail, not null");
                    }
                    parsed.add(signals.get(i).toGuardrail(field));
                }
            }
            return new Guardrails(maxErrorPercent, maxP99LatencyMs == null ? null
                    : requirePositiveMillis("analysis.guardrails.max_p99_latency_ms", maxP99LatencyMs), parsed);
        }
    }

    /**
     * The analysis between canary steps: each step lasts {@code interval_ms}, needs
     * {@code min_samples} requests as evidence, and pauses after {@code inconclusive_limit}
     * checks without enough.
     */
    public record AnalysisBody(Long intervalMs, Long minSamples, Integer inconclusiveLimit, GuardrailsBody guardrails) {
        static AnalysisBody of(CanaryAnalysis analysis) {
            return new AnalysisBody(analysis.interval().toMillis(), analysis.minSamples(), analysis.inconclusiveLimit(),
                    GuardrailsBody.of(analysis.guardrails()));
        }

        CanaryAnalysis toAnalysis() {
            if (guardrails == null) {
                throw KeelException.invalid("missing value for required parameter 'analysis.guardrails'");
            }
            return new CanaryAnalysis(intervalMs == null ? Duration.ofMinutes(1)
                    : requirePositiveMillis("analysis.interval_ms", intervalMs),
                    minSamples == null ? 100 : minSamples, inconclusiveLimit == null ? 3 : inconclusiveLimit,
                    guardrails.toGuardrails());
        }
    }

    /** A traffic policy by {@code kind}; see the class comment for each kind's fields. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PolicyBody(String kind, String variant, String active, String standby, Long keepWarmMs,
                             Long lastSwitchTime, Map<String, Double> weights, String stable, String canary,
                             List<Double> steps, Integer step, AnalysisBody analysis) {
        static PolicyBody of(TrafficPolicy policy) {
            if (policy instanceof Single single) {
                return new PolicyBody("single", single.variant(), null, null, null, null, null, null, null, null, null, null);
            }
            if (policy instanceof BlueGreen blueGreen) {
                return new PolicyBody("blue_green", null, blueGreen.active(), blueGreen.standby(),
                        blueGreen.keepWarm().toMillis(), millis(blueGreen.lastSwitch()), null, null, null, null, null, null);
            }
            if (policy instanceof AbTest ab) {
                return new PolicyBody("ab_test", null, null, null, null, null, ab.weights(), null, null, null, null, null);
            }
            Canary canary = (Canary) policy;
            return new PolicyBody("canary", null, null, null, null, null, null, canary.stable(), canary.canary(),
                    canary.steps(), canary.step(), AnalysisBody.of(canary.analysis()));
        }

        /** The policy this body names; canary only when {@code canaryAllowed} (never on a write). */
        TrafficPolicy toPolicy() {
            if (kind == null) {
                throw KeelException.invalid("missing value for required parameter 'policy.kind' (one of "
                        + String.join(", ", KINDS) + ")");
            }
            switch (kind) {
                case "single" -> {
                    only("single", "variant");
                    return new Single(required("variant", variant));
                }
                case "blue_green" -> {
                    only("blue_green", "active", "standby", "keep_warm_ms");
                    Duration keepWarm = keepWarmMs == null ? Duration.ofMinutes(10)
                            : Duration.ofMillis(requireNonNegative("policy.keep_warm_ms", keepWarmMs));
                    return new BlueGreen(required("active", active), required("standby", standby), keepWarm);
                }
                case "ab_test" -> {
                    only("ab_test", "weights");
                    return new AbTest(required("weights", weights));
                }
                case "canary" -> throw KeelException.invalid("'policy.kind' canary is entered by starting a rollout "
                        + "(POST /api/v1/endpoints/{name}/canary), not set as a policy");
                default -> throw KeelException.invalid("'policy.kind' must be one of single, blue_green, ab_test (got '"
                        + abbreviate(kind) + "')");
            }
        }

        /** Refuses a field that belongs to another kind, naming it. */
        private void only(String kindName, String... allowed) {
            Map<String, Object> present = new LinkedHashMap<>();
            present.put("variant", variant);
            present.put("active", active);
            present.put("standby", standby);
            present.put("keep_warm_ms", keepWarmMs);
            present.put("last_switch_time", lastSwitchTime);
            present.put("weights", weights);
            present.put("stable", stable);
            present.put("canary", canary);
            present.put("steps", steps);
            present.put("step", step);
            present.put("analysis", analysis);
            List<String> allowedList = List.of(allowed);
            present.forEach((field, value) -> {
                if (value != null && !allowedList.contains(field)) {
                    throw KeelException.invalid("'policy." + field + "' does not belong to a " + kindName
                            + " policy (its fields: " + String.join(", ", allowed) + ")");
                }
            });
        }

        private static <T> T required(String field, T value) {
            if (value == null) {
                throw KeelException.invalid("missing value for required parameter 'policy." + field + "'");
            }
            return value;
        }
    }

    /** Copies {@code percent} of the requests to {@code variant}. */
    public record ShadowBody(String variant, Double percent) {
        static ShadowBody of(Shadow shadow) {
            return shadow == null ? null : new ShadowBody(shadow.variant(), shadow.percent());
        }

        Shadow toShadow(String field) {
            if (variant == null || percent == null) {
                throw KeelException.invalid("'" + field + "' needs 'variant' and 'percent'");
            }
            return new Shadow(variant, percent);
        }
    }

    /** {@code POST /api/v1/endpoints}. */
    public record NewEndpointBody(String name, List<VariantBody> variants, PolicyBody policy, ShadowBody shadow) {
        NewEndpoint toRequest() {
            if (policy == null) {
                throw KeelException.invalid("missing value for required parameter 'policy'");
            }
            return new NewEndpoint(name, VariantBody.toVariants("variants", variants), policy.toPolicy(),
                    shadow == null ? null : shadow.toShadow("shadow"));
        }
    }

    /** An endpoint as answered. */
    public record EndpointBody(String name, List<VariantBody> variants, PolicyBody policy, ShadowBody shadow, long version,
                               String createdBy, long createdTime, long updatedTime) {
        public static EndpointBody of(Endpoint endpoint) {
            return new EndpointBody(endpoint.name(), endpoint.variants().stream().map(VariantBody::of).toList(),
                    PolicyBody.of(endpoint.policy()), ShadowBody.of(endpoint.shadow()), endpoint.version(),
                    endpoint.createdBy(), endpoint.createdAt().toEpochMilli(), endpoint.updatedAt().toEpochMilli());
        }
    }

    /** {@code GET /api/v1/endpoints}: by name. */
    public record EndpointList(List<EndpointBody> endpoints) {
    }

    /** {@code PUT /api/v1/endpoints/{name}/policy}: made on {@code expected_version}; {@code variants} replaces them when given. */
    public record PolicyUpdateBody(Long expectedVersion, List<VariantBody> variants, PolicyBody policy) {
        PolicyUpdate toUpdate() {
            if (policy == null) {
                throw KeelException.invalid("missing value for required parameter 'policy'");
            }
            return new PolicyUpdate(EndpointBodies.expectedVersion("expected_version", expectedVersion),
                    variants == null ? null : VariantBody.toVariants("variants", variants), policy.toPolicy());
        }
    }

    /** {@code PUT /api/v1/endpoints/{name}/shadow}. */
    public record ShadowUpdateBody(Long expectedVersion, String variant, Double percent) {
    }

    /** {@code POST /api/v1/endpoints/{name}/switch}. */
    public record SwitchBody(String variant) {
    }

    /** {@code POST /api/v1/endpoints/{name}/canary}: the canary variant, its weight steps and the analysis. */
    public record CanaryStartBody(VariantBody variant, List<Double> steps, AnalysisBody analysis) {
        CanaryStart toRequest() {
            if (variant == null) {
                throw KeelException.invalid("missing value for required parameter 'variant'");
            }
            if (analysis == null) {
                throw KeelException.invalid("missing value for required parameter 'analysis'");
            }
            return new CanaryStart(variant.toVariant("variant"), steps, analysis.toAnalysis());
        }
    }

    /** Why a rollout is aborted or paused. */
    public record ReasonBody(String reason) {
    }

    public record RolloutEventBody(long time, String actor, String kind, double canaryWeight, String detail) {
        static RolloutEventBody of(RolloutEvent event) {
            return new RolloutEventBody(event.at().toEpochMilli(), event.actor(), event.kind(), event.canaryWeight(),
                    event.detail());
        }
    }

    public record GuardrailCheckBody(String guardrail, double observed, double bound, long samples, Verdict verdict,
                                     Long firstBreachTime) {
        static GuardrailCheckBody of(GuardrailCheck check) {
            return new GuardrailCheckBody(check.guardrail(), check.observed(), check.bound(), check.samples(),
                    check.verdict(), millis(check.firstBreachAt()));
        }
    }

    /** Why and how fast a canary was rolled back; {@code breach_to_rollback_ms} is the headline number. */
    public record RollbackBody(String reason, List<GuardrailCheckBody> breaches, double canaryWeight, long firstBreachTime,
                               long detectedTime, long rolledBackTime, long breachToRollbackMs,
                               long detectionToRollbackMs) {
        static RollbackBody of(RollbackReport report) {
            return report == null ? null : new RollbackBody(report.reason(),
                    report.breaches().stream().map(GuardrailCheckBody::of).toList(), report.canaryWeight(),
                    report.firstBreachAt().toEpochMilli(), report.detectedAt().toEpochMilli(),
                    report.rolledBackAt().toEpochMilli(), report.breachToRollback().toMillis(),
                    report.detectionToRollback().toMillis());
        }
    }

    /** A rollout as answered, with its history and any rollback report. */
    public record RolloutBody(long id, String endpoint, String stable, String canary, String canaryModel, List<Double> steps,
                              AnalysisBody analysis, int step, double canaryWeight, RolloutStatus status, String reason,
                              long startedTime, long stepStartedTime, Long checkDueTime, int inconclusiveChecks,
                              Long endedTime, long revision, List<RolloutEventBody> history, RollbackBody rollback) {
        public static RolloutBody of(Rollout rollout) {
            return new RolloutBody(rollout.id(), rollout.endpoint(), rollout.stable(), rollout.canary(),
                    rollout.canaryModel(), rollout.steps(), AnalysisBody.of(rollout.analysis()), rollout.step(),
                    rollout.canaryWeight(), rollout.status(), rollout.reason(), rollout.startedAt().toEpochMilli(),
                    rollout.stepStartedAt().toEpochMilli(), millis(rollout.checkDueAt()), rollout.inconclusiveChecks(),
                    millis(rollout.endedAt()), rollout.revision(),
                    rollout.history().stream().map(RolloutEventBody::of).toList(), RollbackBody.of(rollout.rollback()));
        }
    }

    /** {@code GET /api/v1/endpoints/{name}/rollouts}: newest first. */
    public record RolloutList(List<RolloutBody> rollouts) {
    }

    /** One variant's traffic in the answering process since {@code since_time}; latency in milliseconds. */
    public record TotalsBody(long sinceTime, long requests, long errors, double errorPercent, Moments latencyMs,
                             Map<String, Moments> signals) {
        public static TotalsBody of(Totals totals) {
            return new TotalsBody(totals.since().toEpochMilli(), totals.requests(), totals.errors(), totals.errorPercent(),
                    totals.latencyMillis(), totals.signals());
        }
    }

    /** {@code GET /api/v1/endpoints/{name}/totals}: by variant name. */
    public record TotalsList(Map<String, TotalsBody> variants) {
    }

    static long expectedVersion(String field, Long version) {
        if (version == null) {
            throw KeelException.invalid("missing value for required parameter '" + field + "' (the endpoint version "
                    + "the change was made on)");
        }
        if (version < 1) {
            throw KeelException.invalid("'" + field + "' must be a positive integer (got " + version + ")");
        }
        return version;
    }

    private static Duration requirePositiveMillis(String field, long millis) {
        if (millis <= 0) {
            throw KeelException.invalid("'" + field + "' must be above 0 (got " + millis + ")");
        }
        return Duration.ofMillis(millis);
    }

    private static long requireNonNegative(String field, long value) {
        if (value < 0) {
            throw KeelException.invalid("'" + field + "' must be 0 or more (got " + value + ")");
        }
        return value;
    }

    private static Long millis(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }

    static String abbreviate(String value) {
        return value.length() <= 64 ? value : value.substring(0, 64) + "…";
    }
}
