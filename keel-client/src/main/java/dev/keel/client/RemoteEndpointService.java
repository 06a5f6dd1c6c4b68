package dev.keel.client;

import dev.keel.api.serving.CanaryStart;
import dev.keel.api.serving.ComparedMetric;
import dev.keel.api.serving.Endpoint;
import dev.keel.api.serving.EndpointService;
import dev.keel.api.serving.NewEndpoint;
import dev.keel.api.serving.PolicyUpdate;
import dev.keel.api.serving.Rollout;
import dev.keel.api.serving.Shadow;
import dev.keel.api.serving.Totals;
import dev.keel.api.serving.VariantComparison;
import dev.keel.client.EndpointWire.CanaryStartBody;
import dev.keel.client.EndpointWire.EndpointBody;
import dev.keel.client.EndpointWire.EndpointList;
import dev.keel.client.EndpointWire.NewEndpointBody;
import dev.keel.client.EndpointWire.PolicyBody;
import dev.keel.client.EndpointWire.PolicyUpdateBody;
import dev.keel.client.EndpointWire.ReasonBody;
import dev.keel.client.EndpointWire.RolloutBody;
import dev.keel.client.EndpointWire.RolloutList;
import dev.keel.client.EndpointWire.ShadowBody;
import dev.keel.client.EndpointWire.ShadowUpdateBody;
import dev.keel.client.EndpointWire.SwitchBody;
import dev.keel.client.EndpointWire.TotalsBody;
import dev.keel.client.EndpointWire.TotalsList;
import dev.keel.client.EndpointWire.VariantBody;
import dev.keel.core.Actor;
import dev.keel.core.Checks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.keel.client.UriPaths.pair;
import static dev.keel.client.UriPaths.query;
import static dev.keel.client.UriPaths.segment;

/**
 * {@link EndpointService} over a Keel server's native REST API ({@code /api/v1/endpoints}).
 * Permissions, versions and rollout states are decided by the server; a refusal arrives as the
 * {@link dev.keel.core.KeelException} it raised. Variant totals are those of the answering
 * server process (behind a load balancer, one replica's).
 *
 * <p>The {@code actor} argument is not sent: the server decides who a request acts as.
 */
public final class RemoteEndpointService implements EndpointService {
    private static final String ENDPOINTS = "/api/v1/endpoints";

    private final KeelConnection server;

    RemoteEndpointService(KeelConnection server) {
        this.server = server;
    }

    private static String path(String name) {
        return ENDPOINTS + "/" + segment("name", name);
    }

    @Override
    public Endpoint createEndpoint(Actor actor, NewEndpoint request) {
        Checks.requireNonNull("request", request);
        NewEndpointBody body = new NewEndpointBody(request.name(), request.variants().stream().map(VariantBody::of).toList(),
                PolicyBody.of(request.policy()), request.shadow() == null ? null
                : new ShadowBody(request.shadow().variant(), request.shadow().percent()));
        return server.exchange("POST", ENDPOINTS, body, EndpointBody.class).toEndpoint();
    }

    @Override
    public Endpoint getEndpoint(Actor actor, String name) {
        return server.exchange("GET", path(name), null, EndpointBody.class).toEndpoint();
    }

    @Override
    public List<Endpoint> listEndpoints(Actor actor) {
        return server.exchange("GET", ENDPOINTS, null, EndpointList.class).endpoints().stream()
                .map(EndpointBody::toEndpoint).toList();
    }

    @Override
    public void deleteEndpoint(Actor actor, String name) {
        server.exchange("DELETE", path(name), null, (Class<?>) null);
    }

    @Override
    public Endpoint updatePolicy(Actor actor, String name, PolicyUpdate update) {
        Checks.requireNonNull("update", update);
        PolicyUpdateBody body = new PolicyUpdateBody(update.expectedVersion(), update.variants() == null ? null
                : update.variants().stream().map(VariantBody::of).toList(), PolicyBody.of(update.policy()));
        return server.exchange("PUT", path(name) + "/policy", body, EndpointBody.class).toEndpoint();
    }

    @Override
    public Endpoint updateShadow(Actor actor, String name, long expectedVersion, Shadow shadow) {
        if (shadow == null) {
            return server.exchange("DELETE", path(name) + "/shadow" + query(List.<String[]>of(pair("expected_version",
                    expectedVersion))), null, EndpointBody.class).toEndpoint();
        }
        return server.exchange("PUT", path(name) + "/shadow", new ShadowUpdateBody(expectedVersion, shadow.variant(),
                shadow.percent()), EndpointBody.class).toEndpoint();
    }

    @Override
    public Endpoint switchTo(Actor actor, String name, String variant) {
        return server.exchange("POST", path(name) + "/switch", new SwitchBody(variant), EndpointBody.class).toEndpoint();
    }

    @Override
    public Rollout startCanary(Actor actor, String name, CanaryStart request) {
        Checks.requireNonNull("request", request);
        CanaryStartBody body = new CanaryStartBody(VariantBody.of(request.canary()), request.steps(),
                EndpointWire.AnalysisBody.of(request.analysis()));
        return server.exchange("POST", path(name) + "/canary", body, RolloutBody.class).toRollout();
    }

    @Override
    public Rollout promote(Actor actor, String name) {
        return server.exchange("POST", path(name) + "/canary/promote", null, RolloutBody.class).toRollout();
    }

    @Override
    public Rollout abort(Actor actor, String name, String reason) {
        return server.exchange("POST", path(name) + "/canary/abort", new ReasonBody(reason), RolloutBody.class).toRollout();
    }

    @Override
    public Rollout pause(Actor actor, String name, String reason) {
        return server.exchange("POST", path(name) + "/canary/pause", new ReasonBody(reason), RolloutBody.class).toRollout();
    }

    @Override
    public Rollout resume(Actor actor, String name) {
        return server.exchange("POST", path(name) + "/canary/resume", null, RolloutBody.class).toRollout();
    }

    @Override
    public Rollout getRollout(Actor actor, String name) {
        return server.exchange("GET", path(name) + "/rollout", null, RolloutBody.class).toRollout();
    }

    @Override
    public List<Rollout> listRollouts(Actor actor, String name) {
        return server.exchange("GET", path(name) + "/rollouts", null, RolloutList.class).rollouts().stream()
                .map(RolloutBody::toRollout).toList();
    }

    @Override
    public Map<String, Totals> variantTotals(Actor actor, String name) {
        Map<String, Totals> totals = new LinkedHashMap<>();
        for (Map.Entry<String, TotalsBody> entry : server.exchange("GET", path(name) + "/totals", null, TotalsList.class)
                .variants().entrySet()) {
            totals.put(entry.getKey(), entry.getValue().toTotals());
        }
        return totals;
    }

    @Override
    public VariantComparison compareVariants(Actor actor, String name, String a, String b, ComparedMetric metric) {
        Checks.requireNonNull("metric", metric);
        return server.exchange("GET", path(name) + "/compare" + query(List.of(pair("a", a), pair("b", b),
                pair("metric", metric.toString()))), null, VariantComparison.class);
    }
}
