package dev.keel.api.http;

import dev.keel.api.http.RolloutBodies.AnalysisBody;
import dev.keel.api.serving.AbTest;
import dev.keel.api.serving.BlueGreen;
import dev.keel.api.serving.Canary;
import dev.keel.api.serving.Endpoint;
import dev.keel.api.serving.ModelReference;
import dev.keel.api.serving.NewEndpoint;
import dev.keel.api.serving.PolicyUpdate;
import dev.keel.api.serving.Shadow;
import dev.keel.api.serving.Single;
import dev.keel.api.serving.TrafficPolicy;
import dev.keel.api.serving.Variant;
import dev.keel.core.Checks;
import dev.keel.core.KeelException;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
 * entered by starting a rollout ({@link RolloutBodies}). Each body converts both ways: the server
 * reads a write strictly and answers the domain's values; the client writes the domain's values
 * and reads the answer back.
 */
public final class EndpointBodies {
    private static final List<String> KINDS = List.of("single", "blue_green", "ab_test", "canary");

    private EndpointBodies() {
    }

    /** A variant: a stable name and the model URI it serves ({@code models:/churn/3}, {@code models:/churn@champion}). */
    public record VariantBody(String name, String model) {
        public static VariantBody of(Variant variant) {
            return new VariantBody(variant.name(), variant.model().uri());
        }

        public Variant toVariant(String field) {
            if (name == null) {
                throw KeelException.invalid("missing value for required parameter '" + field + ".name'");
            }
            if (model == null) {
                throw KeelException.invalid("missing value for required parameter '" + field + ".model'");
            }
            return new Variant(name, ModelReference.parse(field + ".model", model));
        }

        public static List<Variant> toVariants(String field, List<VariantBody> bodies) {
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

    /** A traffic policy by {@code kind}; see the class comment for each kind's fields. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PolicyBody(String kind, String variant, String active, String standby, Long keepWarmMs,
                             Long lastSwitchTime, Map<String, Double> weights, String stable, String canary,
                             List<Double> steps, Integer step, AnalysisBody analysis) {
        /** The policy as answered, with the server's own fields (a blue-green's last switch). */
        public static PolicyBody of(TrafficPolicy policy) {
            if (policy instanceof Single single) {
                return new PolicyBody("single", single.variant(), null, null, null, null, null, null, null, null, null, null);
            }
            if (policy instanceof BlueGreen blueGreen) {
                return new PolicyBody("blue_green", null, blueGreen.active(), blueGreen.standby(),
                        blueGreen.keepWarm().toMillis(), WireValues.millis(blueGreen.lastSwitch()), null, null, null, null, null, null);
            }
            if (policy instanceof AbTest ab) {
                return new PolicyBody("ab_test", null, null, null, null, null, ab.weights(), null, null, null, null, null);
            }
            Canary canary = (Canary) policy;
            return new PolicyBody("canary", null, null, null, null, null, null, canary.stable(), canary.canary(),
                    canary.steps(), canary.step(), AnalysisBody.of(canary.analysis()));
        }

        /** The policy as a write sends it: never a canary (it is started) and never the server's switch time. */
        public static PolicyBody written(TrafficPolicy policy) {
            if (policy instanceof BlueGreen blueGreen) {
                return new PolicyBody("blue_green", null, blueGreen.active(), blueGreen.standby(),
                        blueGreen.keepWarm().toMillis(), null, null, null, null, null, null, null);
            }
            return of(policy);
        }

        /** The policy a write names: strict, a field of another kind refused; never a canary. */
        public TrafficPolicy toPolicy() {
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
                            : Duration.ofMillis(WireValues.requireNonNegative("policy.keep_warm_ms", keepWarmMs));
                    return new BlueGreen(required("active", active), required("standby", standby), keepWarm);
                }
                case "ab_test" -> {
                    only("ab_test", "weights");
                    return new AbTest(required("weights", weights));
                }
                case "canary" -> throw KeelException.invalid("'policy.kind' canary is entered by starting a rollout "
                        + "(POST /api/v1/endpoints/{name}/canary), not set as a policy");
                default -> throw KeelException.invalid("'policy.kind' must be one of single, blue_green, ab_test (got '"
                        + WireValues.abbreviate(kind) + "')");
            }
        }

        /** The policy a server answered, of any kind, with the fields only the server sets. */
        public TrafficPolicy answered() {
            return switch (required("kind", kind)) {
                case "single" -> new Single(variant);
                case "blue_green" -> new BlueGreen(active, standby, Duration.ofMillis(keepWarmMs), WireValues.instant(lastSwitchTime));
                case "ab_test" -> new AbTest(weights);
                case "canary" -> new Canary(stable, canary, steps, step, analysis.toAnalysis());
                default -> throw new IllegalStateException("the server answered a policy of unknown kind '" + kind
                        + "': this client is older than the server");
            };
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
        public static ShadowBody of(Shadow shadow) {
            return shadow == null ? null : new ShadowBody(shadow.variant(), shadow.percent());
        }

        public Shadow toShadow(String field) {
            if (variant == null || percent == null) {
                throw KeelException.invalid("'" + field + "' needs 'variant' and 'percent'");
            }
            return new Shadow(variant, percent);
        }
    }

    /** {@code POST /api/v1/endpoints}. */
    public record NewEndpointBody(String name, List<VariantBody> variants, PolicyBody policy, ShadowBody shadow) {
        public static NewEndpointBody of(NewEndpoint request) {
            return new NewEndpointBody(request.name(), request.variants().stream().map(VariantBody::of).toList(),
                    PolicyBody.written(request.policy()), ShadowBody.of(request.shadow()));
        }

        public NewEndpoint toRequest() {
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

        public Endpoint toEndpoint() {
            return new Endpoint(name, VariantBody.toVariants("variants", variants), policy.answered(),
                    shadow == null ? null : shadow.toShadow("shadow"), version, createdBy, Instant.ofEpochMilli(createdTime),
                    Instant.ofEpochMilli(updatedTime));
        }
    }

    /** {@code GET /api/v1/endpoints}: by name. */
    public record EndpointList(List<EndpointBody> endpoints) {
        public static EndpointList of(List<Endpoint> endpoints) {
            return new EndpointList(endpoints.stream().map(EndpointBody::of).toList());
        }

        public List<Endpoint> toEndpoints() {
            return endpoints.stream().map(EndpointBody::toEndpoint).toList();
        }
    }

    /** {@code PUT /api/v1/endpoints/{name}/policy}: made on {@code expected_version}; {@code variants} replaces them when given. */
    public record PolicyUpdateBody(Long expectedVersion, List<VariantBody> variants, PolicyBody policy) {
        public static PolicyUpdateBody of(PolicyUpdate update) {
            return new PolicyUpdateBody(update.expectedVersion(), update.variants() == null ? null
                    : update.variants().stream().map(VariantBody::of).toList(), PolicyBody.written(update.policy()));
        }

        public PolicyUpdate toUpdate() {
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

    /** A write's {@code expected_version}: the endpoint version the change was made on, a positive integer. */
    public static long expectedVersion(String field, Long version) {
        if (version == null) {
            throw KeelException.invalid("missing value for required parameter '" + field + "' (the endpoint version "
                    + "the change was made on)");
        }
        return Checks.requirePositive(field, version);
    }
}
