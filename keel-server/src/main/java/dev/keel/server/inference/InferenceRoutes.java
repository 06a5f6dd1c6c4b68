package dev.keel.server.inference;

import dev.keel.api.http.Operation;
import dev.keel.api.registry.flavor.Signature;
import dev.keel.api.registry.flavor.TensorSpec;
import dev.keel.api.serving.ModelReference;
import dev.keel.core.KeelException;
import dev.keel.server.http.Route;
import dev.keel.serving.Answer;
import dev.keel.serving.Inference;
import dev.keel.serving.InputBinder;
import dev.keel.serving.endpoint.Router;
import dev.keel.serving.runtime.Datatype;
import dev.keel.serving.runtime.ModelLease;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.Handler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Inference over HTTP: the Open Inference Protocol (KServe V2) under {@code /v2}, MLflow's
 * scoring protocol at {@code /endpoints/{name}/invocations} (and {@code /invocations} for a
 * server with a default endpoint, as {@code keel serve} has), and Keel's own
 * {@code POST /api/v1/endpoints/{name}/predict} taking feature records.
 *
 * <p>An OIP model name is an endpoint's name; {@code /versions/{v}} calls that version of the
 * registered model of the same name directly. Every answer carries {@code Keel-Variant} and
 * {@code Keel-Model-Version} headers naming what answered, and echoes {@code X-Request-Id}.
 * OIP errors are {@code {"error": "..."}}, as the protocol has them.
 */
public final class InferenceRoutes {
    public static final String VARIANT_HEADER = "Keel-Variant";
    public static final String MODEL_VERSION_HEADER = "Keel-Model-Version";
    public static final String REQUEST_ID_HEADER = "X-Request-Id";
    /** The request header whose value keeps a caller on one variant of an A/B test. */
    public static final String ROUTING_KEY_HEADER = "Keel-Routing-Key";

    private final Inference inference;
    private final Router router;
    private final InferRequestReader oip;
    private final ScoringRequestReader scoring;
    private final ScoringBinding binding;
    private final int maxBodyBytes;
    private final String defaultEndpoint;
    private final String serverVersion;

    /**
     * @param defaultEndpoint what a bare {@code /invocations} calls, or null for none
     */
    public InferenceRoutes(Inference inference, Router router, ObjectMapper mapper, InferenceLimits limits,
                           String defaultEndpoint, String serverVersion) {
        this.inference = inference;
        this.router = router;
        this.oip = new InferRequestReader(limits.maxValues());
        this.scoring = new ScoringRequestReader(mapper, limits.maxRows());
        this.binding = new ScoringBinding(limits.maxValues());
        this.maxBodyBytes = limits.maxBodyBytes();
        this.defaultEndpoint = defaultEndpoint;
        this.serverVersion = serverVersion;
    }

    public List<Route> routes() {
        List<Route> routes = new ArrayList<>(List.of(
                Route.of(Operation.get("/v2/health/live", "OIP liveness: 200 while the server answers").returnsText(),
                        ctx -> ctx.status(200).json(Map.of("live", true))),
                Route.of(Operation.get("/v2/health/ready", "OIP readiness: 200 when the server takes requests").returnsText(),
                        ctx -> ctx.status(200).json(Map.of("ready", true))),
                Route.of(Operation.get("/v2", "OIP server metadata").returnsText(),
                        ctx -> ctx.json(Map.of("name", "keel", "version", serverVersion,
                                "extensions", List.of()))),
                Route.of(Operation.get("/v2/models/{name}", "OIP model metadata of an endpoint (its stable variant's model)")
                        .returnsText(), oipErrors(ctx -> metadata(ctx, endpointReference(ctx)))),
                Route.of(Operation.get("/v2/models/{name}/versions/{version}", "OIP metadata of one registered model version")
                        .returnsText(), oipErrors(ctx -> metadata(ctx, versionReference(ctx)))),
                Route.of(Operation.get("/v2/models/{name}/ready", "OIP readiness of an endpoint's model").returnsText(),
                        oipErrors(ctx -> ready(ctx, endpointReference(ctx)))),
                Route.of(Operation.get("/v2/models/{name}/versions/{version}/ready", "OIP readiness of one model version")
                        .returnsText(), oipErrors(ctx -> ready(ctx, versionReference(ctx)))),
                Route.of(Operation.post("/v2/models/{name}/infer", "OIP inference through an endpoint (routing, rollouts, shadow)")
                        .returnsText(), oipErrors(this::inferEndpoint)),
                Route.of(Operation.post("/v2/models/{name}/versions/{version}/infer", "OIP inference with one model version directly")
                        .returnsText(), oipErrors(this::inferVersion)),
                Route.of(Operation.post("/endpoints/{name}/invocations", "MLflow scoring protocol through an endpoint")
                        .returnsText(), ctx -> invocations(ctx, ctx.pathParam("name"))),
                Route.of(Operation.post("/api/v1/endpoints/{name}/predict", "Predict from feature records through an endpoint")
                        .returnsText(), this::predictRecords)));
        if (defaultEndpoint != null) {
            routes.add(Route.of(Operation.post("/invocations", "MLflow scoring protocol with the served model").returnsText(),
                    ctx -> invocations(ctx, defaultEndpoint)));
        }
        return routes;
    }

    private void inferEndpoint(Context ctx) {
        InferRequest request = oip.read(RequestBody.read(ctx, maxBodyBytes));
        String endpoint = ctx.pathParam("name");
        Answer answer = inference.predict(endpoint, routingKey(ctx), InputBinder.of(request.inputs()), request.outputs());
        respond(ctx, answer, request.id(), new InferResponse(endpoint, Long.toString(answer.model().version()),
                request.id(), answer.outputs()).toJson());
    }

    private void inferVersion(Context ctx) {
        ModelReference reference = versionReference(ctx);
        InferRequest request = oip.read(RequestBody.read(ctx, maxBodyBytes));
        Answer answer = inference.predict(reference, InputBinder.of(request.inputs()), request.outputs());
        respond(ctx, answer, request.id(), new InferResponse(reference.name(), Long.toString(answer.model().version()),
                request.id(), answer.outputs()).toJson());
    }

    private void invocations(Context ctx, String endpoint) {
        ScoringInput input = scoring.read(RequestBody.read(ctx, maxBodyBytes));
        Answer answer = inference.predict(endpoint, routingKey(ctx), signature -> binding.bind(input, signature), List.of());
        respond(ctx, answer, null, new ScoringResponse(answer.outputs()).toJson());
    }

    private void predictRecords(Context ctx) {
        ScoringInput input = scoring.readRecords(RequestBody.read(ctx, maxBodyBytes));
        Answer answer = inference.predict(ctx.pathParam("name"), routingKey(ctx),
                signature -> binding.bind(input, signature), List.of());
        respond(ctx, answer, null, new ScoringResponse(answer.outputs()).toJson());
    }

    private void respond(Context ctx, Answer answer, String bodyId, byte[] json) {
        String requestId = ctx.header(REQUEST_ID_HEADER);
        if (requestId == null) {
            requestId = bodyId;
        }
        if (requestId != null) {
            ctx.header(REQUEST_ID_HEADER, requestId);
        }
        if (answer.variant() != null) {
            ctx.header(VARIANT_HEADER, answer.variant());
        }
        ctx.header(MODEL_VERSION_HEADER, answer.model().name() + "/" + answer.model().version());
        ctx.status(200).contentType("application/json");
        ResponseBody.write(ctx, json);
    }

    private static String routingKey(Context ctx) {
        return ctx.header(ROUTING_KEY_HEADER);
    }

    private ModelReference endpointReference(Context ctx) {
        String name = ctx.pathParam("name");
        var endpoint = router.endpoint(name);
        if (endpoint == null) {
            throw KeelException.notFound("no endpoint named '" + name + "'");
        }
        return endpoint.variant(endpoint.policy().variants().get(0)).model();
    }

    private static ModelReference versionReference(Context ctx) {
        String version = ctx.pathParam("version");
        if (version.isEmpty() || version.length() > 18 || !version.chars().allMatch(Character::isDigit)) {
            throw KeelException.invalid("'version' must be a positive integer (got '" + version + "')");
        }
        return new ModelReference.ByVersion(ctx.pathParam("name"), Long.parseLong(version));
    }

    private void metadata(Context ctx, ModelReference reference) {
        try (ModelLease lease = inference.lease(reference)) {
            Signature signature = lease.runtime().signature();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", ctx.pathParam("name"));
            body.put("versions", List.of(Long.toString(lease.key().version())));
            body.put("platform", lease.runtime().flavor().name().toLowerCase(java.util.Locale.ROOT));
            body.put("inputs", specs(signature.inputs()));
            body.put("outputs", specs(signature.outputs()));
            ctx.json(body);
        }
    }

    private void ready(Context ctx, ModelReference reference) {
        try (ModelLease lease = inference.lease(reference)) {
            ctx.status(200).json(Map.of("name", ctx.pathParam("name"), "ready", true));
        }
    }

    private static List<Map<String, Object>> specs(List<TensorSpec> specs) {
        List<Map<String, Object>> shown = new ArrayList<>(specs.size());
        for (TensorSpec spec : specs) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("name", spec.name());
            one.put("datatype", Datatype.ofSignatureType(spec.type()).map(Enum::name).orElse(spec.type()));
            one.put("shape", spec.shape());
            shown.add(one);
        }
        return shown;
    }

    /** The protocol's error body, {"error": "..."}, with the status Keel's error code maps to. */
    private static Handler oipErrors(Handler handler) {
        return ctx -> {
            try {
                handler.handle(ctx);
            } catch (KeelException e) {
                ctx.status(e.code().httpStatus()).contentType("application/json")
                        .result(TensorJson.render(out -> {
                            out.writeStartObject();
                            out.writeStringField("error", e.getMessage());
                            out.writeEndObject();
                        }));
            }
        };
    }
}
