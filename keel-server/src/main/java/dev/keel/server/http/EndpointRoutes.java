package dev.keel.server.http;

import dev.keel.api.serving.ComparedMetric;
import dev.keel.api.serving.EndpointService;
import dev.keel.api.serving.Totals;
import dev.keel.api.serving.VariantComparison;
import dev.keel.core.KeelException;
import dev.keel.server.http.EndpointBodies.CanaryStartBody;
import dev.keel.server.http.EndpointBodies.EndpointBody;
import dev.keel.server.http.EndpointBodies.EndpointList;
import dev.keel.server.http.EndpointBodies.NewEndpointBody;
import dev.keel.server.http.EndpointBodies.PolicyUpdateBody;
import dev.keel.server.http.EndpointBodies.ReasonBody;
import dev.keel.server.http.EndpointBodies.RolloutBody;
import dev.keel.server.http.EndpointBodies.RolloutList;
import dev.keel.server.http.EndpointBodies.ShadowBody;
import dev.keel.server.http.EndpointBodies.ShadowUpdateBody;
import dev.keel.server.http.EndpointBodies.SwitchBody;
import dev.keel.server.http.EndpointBodies.TotalsBody;
import dev.keel.server.http.EndpointBodies.TotalsList;
import io.javalin.http.Context;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Endpoints and their rollouts under {@code /api/v1/endpoints}: parse, call
 * {@link EndpointService}, render. Permissions (READ to look, USE on every served model to
 * change), versions and rollout states are the service's; inference through an endpoint
 * ({@code POST /api/v1/endpoints/{name}/predict}) is {@code InferenceRoutes}'.
 */
public final class EndpointRoutes {
    private static final String ENDPOINTS = "/api/v1/endpoints";
    private static final String ENDPOINT = ENDPOINTS + "/{name}";

    private final EndpointService endpoints;
    private final JsonBodies json;
    private final RequestActor actors;

    public EndpointRoutes(EndpointService endpoints, JsonBodies json, RequestActor actors) {
        this.endpoints = endpoints;
        this.json = json;
        this.actors = actors;
    }

    public List<Route> routes() {
        return List.of(
                Route.post(ENDPOINTS, "Create an endpoint: its variants, traffic policy ({\"kind\": \"single\" | "
                                + "\"blue_green\" | \"ab_test\", …}) and optional shadow; needs USE on every model it serves")
                        .accepts(NewEndpointBody.class).returns(201, EndpointBody.class)
                        .handledBy(ctx -> {
                            NewEndpointBody body = json.read(ctx, NewEndpointBody.class);
                            json.write(ctx, 201, EndpointBody.of(endpoints.createEndpoint(actors.of(ctx), body.toRequest())));
                        }),
                Route.get(ENDPOINTS, "Every endpoint the caller may read, by name").returns(EndpointList.class)
                        .handledBy(ctx -> json.write(ctx, 200, new EndpointList(endpoints.listEndpoints(actors.of(ctx))
                                .stream().map(EndpointBody::of).toList()))),
                Route.get(ENDPOINT, "One endpoint with its variants, policy, shadow and version")
                        .returns(EndpointBody.class)
                        .handledBy(ctx -> json.write(ctx, 200, EndpointBody.of(endpoints.getEndpoint(actors.of(ctx),
                                name(ctx))))),
                Route.delete(ENDPOINT, "Delete an endpoint with its rollouts (the audit trail keeps their history)")
                        .handledBy(ctx -> {
                            endpoints.deleteEndpoint(actors.of(ctx), name(ctx));
                            ctx.status(204);
                        }),
                Route.put(ENDPOINT + "/policy", "Replace the traffic policy (and the variants, when given), made on "
                                + "expected_version: 409 when another change came first or a rollout is in flight")
                        .accepts(PolicyUpdateBody.class).returns(EndpointBody.class)
                        .handledBy(ctx -> {
                            String name = name(ctx);
                            PolicyUpdateBody body = json.read(ctx, PolicyUpdateBody.class);
                            json.write(ctx, 200, EndpointBody.of(endpoints.updatePolicy(actors.of(ctx), name,
                                    body.toUpdate())));
                        }),
                Route.put(ENDPOINT + "/shadow", "Copy a percentage of the requests to a variant, made on expected_version")
                        .accepts(ShadowUpdateBody.class).returns(EndpointBody.class)
                        .handledBy(ctx -> {
                            String name = name(ctx);
                            ShadowUpdateBody body = json.read(ctx, ShadowUpdateBody.class);
                            long version = EndpointBodies.expectedVersion("expected_version", body.expectedVersion());
                            json.write(ctx, 200, EndpointBody.of(endpoints.updateShadow(actors.of(ctx), name, version,
                                    new ShadowBody(body.variant(), body.percent()).toShadow("shadow"))));
                        }),
                Route.delete(ENDPOINT + "/shadow", "Stop copying requests, made on expected_version")
                        .query(QueryParameter.of("expected_version", Long.class, "the endpoint version the change is made on"))
                        .returns(EndpointBody.class)
                        .handledBy(ctx -> {
                            String name = name(ctx);
                            long version = expectedVersionQuery(ctx);
                            json.write(ctx, 200, EndpointBody.of(endpoints.updateShadow(actors.of(ctx), name, version,
                                    null)));
                        }),
                Route.post(ENDPOINT + "/switch", "Make a variant the active side of a blue-green endpoint (naming the "
                                + "active side changes nothing)")
                        .accepts(SwitchBody.class).returns(EndpointBody.class)
                        .handledBy(ctx -> {
                            String name = name(ctx);
                            SwitchBody body = json.read(ctx, SwitchBody.class);
                            json.write(ctx, 200, EndpointBody.of(endpoints.switchTo(actors.of(ctx), name, body.variant())));
                        }),
                Route.post(ENDPOINT + "/canary", "Start a canary rollout: the variant, its weight steps and the analysis "
                                + "between steps with its guardrails")
                        .accepts(CanaryStartBody.class).returns(201, RolloutBody.class)
                        .handledBy(ctx -> {
                            String name = name(ctx);
                            CanaryStartBody body = json.read(ctx, CanaryStartBody.class);
                            json.write(ctx, 201, RolloutBody.of(endpoints.startCanary(actors.of(ctx), name,
                                    body.toRequest())));
                        }),
                Route.post(ENDPOINT + "/canary/promote", "Give the canary all the traffic now, ending the rollout")
                        .returns(RolloutBody.class)
                        .handledBy(ctx -> json.write(ctx, 200, RolloutBody.of(endpoints.promote(actors.of(ctx), name(ctx))))),
                Route.post(ENDPOINT + "/canary/abort", "Send all the traffic back to stable, ending the rollout")
                        .accepts(ReasonBody.class).returns(RolloutBody.class)
                        .handledBy(ctx -> {
                            String name = name(ctx);
                            json.write(ctx, 200, RolloutBody.of(endpoints.abort(actors.of(ctx), name, reason(ctx))));
                        }),
                Route.post(ENDPOINT + "/canary/pause", "Hold the canary at its weight; guardrails stay armed")
                        .accepts(ReasonBody.class).returns(RolloutBody.class)
                        .handledBy(ctx -> {
                            String name = name(ctx);
                            json.write(ctx, 200, RolloutBody.of(endpoints.pause(actors.of(ctx), name, reason(ctx))));
                        }),
                Route.post(ENDPOINT + "/canary/resume", "Continue a paused rollout; its step's analysis starts afresh")
                        .returns(RolloutBody.class)
                        .handledBy(ctx -> json.write(ctx, 200, RolloutBody.of(endpoints.resume(actors.of(ctx), name(ctx))))),
                Route.get(ENDPOINT + "/rollout", "The latest rollout, in flight or ended, with its history and any "
                                + "rollback report (breach_to_rollback_ms)")
                        .returns(RolloutBody.class)
                        .handledBy(ctx -> json.write(ctx, 200, RolloutBody.of(endpoints.getRollout(actors.of(ctx),
                                name(ctx))))),
                Route.get(ENDPOINT + "/rollouts", "Every rollout of the endpoint, newest first").returns(RolloutList.class)
                        .handledBy(ctx -> json.write(ctx, 200, new RolloutList(endpoints.listRollouts(actors.of(ctx),
                                name(ctx)).stream().map(RolloutBody::of).toList()))),
                Route.get(ENDPOINT + "/totals", "Each variant's traffic in this server process since its statistics started")
                        .returns(TotalsList.class)
                        .handledBy(ctx -> {
                            Map<String, TotalsBody> totals = new LinkedHashMap<>();
                            for (Map.Entry<String, Totals> entry : endpoints.variantTotals(actors.of(ctx), name(ctx)).entrySet()) {
                                totals.put(entry.getKey(), TotalsBody.of(entry.getValue()));
                            }
                            json.write(ctx, 200, new TotalsList(totals));
                        }),
                Route.get(ENDPOINT + "/compare", "Two variants side by side on a metric (error_rate, latency or "
                                + "signal:NAME) with a two-sided significance test of the difference")
                        .query(QueryParameter.of("a", String.class, "the first variant"))
                        .query(QueryParameter.of("b", String.class, "the second variant"))
                        .query(QueryParameter.of("metric", String.class, "error_rate (default), latency or signal:NAME"))
                        .returns(VariantComparison.class)
                        .handledBy(this::compare));
    }

    private void compare(Context ctx) {
        String name = name(ctx);
        String a = required(ctx, "a");
        String b = required(ctx, "b");
        String metric = Queries.text(ctx, "metric");
        ComparedMetric parsed = metric == null || metric.isEmpty() ? ComparedMetric.ERROR_RATE
                : ComparedMetric.parse("metric", metric);
        json.write(ctx, 200, endpoints.compareVariants(actors.of(ctx), name, a, b, parsed));
    }

    private static String name(Context ctx) {
        return ctx.pathParam("name");
    }

    private static String required(Context ctx, String parameter) {
        String value = Queries.text(ctx, parameter);
        if (value == null || value.isEmpty()) {
            throw KeelException.invalid("missing value for required parameter '" + parameter + "'");
        }
        return value;
    }

    private static long expectedVersionQuery(Context ctx) {
        String text = Queries.text(ctx, "expected_version");
        if (text == null || text.isEmpty()) {
            return EndpointBodies.expectedVersion("expected_version", null);
        }
        try {
            return EndpointBodies.expectedVersion("expected_version", Long.parseLong(text.trim()));
        } catch (NumberFormatException e) {
            throw KeelException.invalid("'expected_version' must be a positive integer (got '"
                    + EndpointBodies.abbreviate(text) + "')");
        }
    }

    /** The reason of an abort or pause; the request may come with no body at all. */
    private String reason(Context ctx) {
        if (ctx.req().getContentLengthLong() == 0) {
            return null;
        }
        return json.read(ctx, ReasonBody.class).reason();
    }
}
