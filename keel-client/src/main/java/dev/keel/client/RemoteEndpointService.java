package dev.keel.client;

import dev.keel.api.http.EndpointApi;
import dev.keel.api.http.EndpointBodies.NewEndpointBody;
import dev.keel.api.http.EndpointBodies.PolicyUpdateBody;
import dev.keel.api.http.EndpointBodies.ShadowUpdateBody;
import dev.keel.api.http.EndpointBodies.SwitchBody;
import dev.keel.api.http.RolloutBodies.CanaryStartBody;
import dev.keel.api.http.RolloutBodies.ReasonBody;
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
import dev.keel.core.Actor;
import dev.keel.core.Checks;

import java.util.List;
import java.util.Map;

import static dev.keel.api.http.EndpointApi.*;

/**
 * {@link EndpointService} over a Keel server's native REST API ({@link EndpointApi}).
 * Permissions, versions and rollout states are decided by the server; a refusal arrives as the
 * {@link dev.keel.core.KeelException} it raised. Variant totals are those of the answering
 * server process (behind a load balancer, one replica's).
 *
 * <p>The {@code actor} argument is not sent: the server decides who a request acts as.
 */
record RemoteEndpointService(KeelConnection server) implements EndpointService {
    @Override
    public Endpoint createEndpoint(Actor actor, NewEndpoint request) {
        Checks.requireNonNull("request", request);
        return server.send(CREATE.at().with(NewEndpointBody.of(request))).toEndpoint();
    }

    @Override
    public Endpoint getEndpoint(Actor actor, String name) {
        return server.send(GET.at(name)).toEndpoint();
    }

    @Override
    public List<Endpoint> listEndpoints(Actor actor) {
        return server.send(LIST.at()).toEndpoints();
    }

    @Override
    public void deleteEndpoint(Actor actor, String name) {
        server.send(DELETE.at(name));
    }

    @Override
    public Endpoint updatePolicy(Actor actor, String name, PolicyUpdate update) {
        Checks.requireNonNull("update", update);
        return server.send(UPDATE_POLICY.at(name).with(PolicyUpdateBody.of(update))).toEndpoint();
    }

    @Override
    public Endpoint updateShadow(Actor actor, String name, long expectedVersion, Shadow shadow) {
        if (shadow == null) {
            return server.send(REMOVE_SHADOW.at(name).query("expected_version", expectedVersion)).toEndpoint();
        }
        return server.send(SET_SHADOW.at(name).with(new ShadowUpdateBody(expectedVersion, shadow.variant(),
                shadow.percent()))).toEndpoint();
    }

    @Override
    public Endpoint switchTo(Actor actor, String name, String variant) {
        return server.send(SWITCH.at(name).with(new SwitchBody(variant))).toEndpoint();
    }

    @Override
    public Rollout startCanary(Actor actor, String name, CanaryStart request) {
        Checks.requireNonNull("request", request);
        return server.send(START_CANARY.at(name).with(CanaryStartBody.of(request))).toRollout();
    }

    @Override
    public Rollout promote(Actor actor, String name) {
        return server.send(PROMOTE.at(name)).toRollout();
    }

    @Override
    public Rollout abort(Actor actor, String name, String reason) {
        return server.send(ABORT.at(name).with(new ReasonBody(reason))).toRollout();
    }

    @Override
    public Rollout pause(Actor actor, String name, String reason) {
        return server.send(PAUSE.at(name).with(new ReasonBody(reason))).toRollout();
    }

    @Override
    public Rollout resume(Actor actor, String name) {
        return server.send(RESUME.at(name)).toRollout();
    }

    @Override
    public Rollout getRollout(Actor actor, String name) {
        return server.send(ROLLOUT.at(name)).toRollout();
    }

    @Override
    public List<Rollout> listRollouts(Actor actor, String name) {
        return server.send(ROLLOUTS.at(name)).toRollouts();
    }

    @Override
    public Map<String, Totals> variantTotals(Actor actor, String name) {
        return server.send(TOTALS.at(name)).toTotals();
    }

    @Override
    public VariantComparison compareVariants(Actor actor, String name, String a, String b, ComparedMetric metric) {
        Checks.requireNonNull("metric", metric);
        return server.send(COMPARE.at(name).query("a", a).query("b", b).query("metric", metric.toString()));
    }
}
