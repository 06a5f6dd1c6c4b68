package dev.keel.api.http;

import dev.keel.api.http.EndpointBodies.EndpointBody;
import dev.keel.api.http.EndpointBodies.EndpointList;
import dev.keel.api.http.EndpointBodies.NewEndpointBody;
import dev.keel.api.http.EndpointBodies.PolicyUpdateBody;
import dev.keel.api.http.EndpointBodies.ShadowUpdateBody;
import dev.keel.api.http.EndpointBodies.SwitchBody;
import dev.keel.api.http.RolloutBodies.CanaryStartBody;
import dev.keel.api.http.RolloutBodies.ReasonBody;
import dev.keel.api.http.RolloutBodies.RolloutBody;
import dev.keel.api.http.RolloutBodies.RolloutList;
import dev.keel.api.http.RolloutBodies.TotalsList;
import dev.keel.api.serving.VariantComparison;

/**
 * Endpoints and their rollouts over HTTP, under {@code /api/v1/endpoints}: one {@link Operation}
 * per {@link dev.keel.api.serving.EndpointService} call. Inference through an endpoint is the
 * serving protocols' (Open Inference Protocol, MLflow's scoring format), not described here.
 */
public final class EndpointApi {
    private static final String ENDPOINTS = "/api/v1/endpoints";
    private static final String ENDPOINT = ENDPOINTS + "/{name}";

    private EndpointApi() {
    }

    public static final Operation<NewEndpointBody, EndpointBody> CREATE =
            Operation.post(ENDPOINTS, "Create an endpoint: its variants, traffic policy ({\"kind\": \"single\" | "
                            + "\"blue_green\" | \"ab_test\", …}) and optional shadow; needs USE on every model it serves")
                    .accepts(NewEndpointBody.class).returns(201, EndpointBody.class);

    public static final Operation<Void, EndpointList> LIST =
            Operation.get(ENDPOINTS, "Every endpoint the caller may read, by name").returns(EndpointList.class);

    public static final Operation<Void, EndpointBody> GET =
            Operation.get(ENDPOINT, "One endpoint with its variants, policy, shadow and version").returns(EndpointBody.class);

    public static final Operation<Void, Void> DELETE =
            Operation.delete(ENDPOINT, "Delete an endpoint with its rollouts (the audit trail keeps their history)");

    public static final Operation<PolicyUpdateBody, EndpointBody> UPDATE_POLICY =
            Operation.put(ENDPOINT + "/policy", "Replace the traffic policy (and the variants, when given), made on "
                            + "expected_version: 409 when another change came first or a rollout is in flight")
                    .accepts(PolicyUpdateBody.class).returns(EndpointBody.class);

    public static final Operation<ShadowUpdateBody, EndpointBody> SET_SHADOW =
            Operation.put(ENDPOINT + "/shadow", "Copy a percentage of the requests to a variant, made on expected_version")
                    .accepts(ShadowUpdateBody.class).returns(EndpointBody.class);

    public static final Operation<Void, EndpointBody> REMOVE_SHADOW =
            Operation.delete(ENDPOINT + "/shadow", "Stop copying requests, made on expected_version")
                    .query(QueryParameter.of("expected_version", Long.class, "the endpoint version the change is made on"))
                    .returns(EndpointBody.class);

    public static final Operation<SwitchBody, EndpointBody> SWITCH =
            Operation.post(ENDPOINT + "/switch", "Make a variant the active side of a blue-green endpoint (naming the "
                            + "active side changes nothing)")
                    .accepts(SwitchBody.class).returns(EndpointBody.class);

    public static final Operation<CanaryStartBody, RolloutBody> START_CANARY =
            Operation.post(ENDPOINT + "/canary", "Start a canary rollout: the variant, its weight steps and the analysis "
                            + "between steps with its guardrails")
                    .accepts(CanaryStartBody.class).returns(201, RolloutBody.class);

    public static final Operation<Void, RolloutBody> PROMOTE =
            Operation.post(ENDPOINT + "/canary/promote", "Give the canary all the traffic now, ending the rollout")
                    .returns(RolloutBody.class);

    /** The body may be left out: an abort needs no reason. */
    public static final Operation<ReasonBody, RolloutBody> ABORT =
            Operation.post(ENDPOINT + "/canary/abort", "Send all the traffic back to stable, ending the rollout")
                    .accepts(ReasonBody.class).returns(RolloutBody.class);

    public static final Operation<ReasonBody, RolloutBody> PAUSE =
            Operation.post(ENDPOINT + "/canary/pause", "Hold the canary at its weight; guardrails stay armed")
                    .accepts(ReasonBody.class).returns(RolloutBody.class);

    public static final Operation<Void, RolloutBody> RESUME =
            Operation.post(ENDPOINT + "/canary/resume", "Continue a paused rollout; its step's analysis starts afresh")
                    .returns(RolloutBody.class);

    public static final Operation<Void, RolloutBody> ROLLOUT =
            Operation.get(ENDPOINT + "/rollout", "The latest rollout, in flight or ended, with its history and any "
                            + "rollback report (breach_to_rollback_ms)")
                    .returns(RolloutBody.class);

    public static final Operation<Void, RolloutList> ROLLOUTS =
            Operation.get(ENDPOINT + "/rollouts", "Every rollout of the endpoint, newest first").returns(RolloutList.class);

    public static final Operation<Void, TotalsList> TOTALS =
            Operation.get(ENDPOINT + "/totals", "Each variant's traffic in this server process since its statistics started")
                    .returns(TotalsList.class);

    public static final Operation<Void, VariantComparison> COMPARE =
            Operation.get(ENDPOINT + "/compare", "Two variants side by side on a metric (error_rate, latency or "
                            + "signal:NAME) with a two-sided significance test of the difference")
                    .query(QueryParameter.of("a", String.class, "the first variant"))
                    .query(QueryParameter.of("b", String.class, "the second variant"))
                    .query(QueryParameter.of("metric", String.class, "error_rate (default), latency or signal:NAME"))
                    .returns(VariantComparison.class);
}
