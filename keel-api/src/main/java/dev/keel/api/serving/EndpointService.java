package dev.keel.api.serving;

import dev.keel.core.Actor;

import java.util.List;
import java.util.Map;

/**
 * Endpoints, their traffic policies and canary rollouts.
 *
 * <p>Permissions follow the models an endpoint serves, because serving a model is using it:
 * reading an endpoint needs READ on every registered model it serves; changing it (and every
 * rollout command) needs USE on every model it serves before and after the change. Viewers
 * never hold more than READ, so they can look but not change. Every change is recorded in the
 * audit trail as {@code endpoint/NAME} in the transaction that makes it.
 *
 * <p>Failures are {@link dev.keel.core.KeelException}s: bad input is INVALID_PARAMETER_VALUE
 * naming the field (400), an unknown endpoint or rollout RESOURCE_DOES_NOT_EXIST (404), a taken
 * name RESOURCE_ALREADY_EXISTS, and a change made on a stale version, or a command that does
 * not fit the rollout's state, RESOURCE_CONFLICT (409).
 */
public interface EndpointService {

    Endpoint createEndpoint(Actor actor, NewEndpoint request);

    Endpoint getEndpoint(Actor actor, String name);

    /** Every endpoint the actor may read, by name. */
    List<Endpoint> listEndpoints(Actor actor);

    /** Deletes the endpoint with its rollouts; the audit trail keeps their history. */
    void deleteEndpoint(Actor actor, String name);

    /**
     * Replaces the policy (and the variants, when given). A canary is not set here but started
     * with {@link #startCanary}; while one is in flight the policy cannot be replaced (409).
     */
    Endpoint updatePolicy(Actor actor, String name, PolicyUpdate update);

    /** Sets the shadow, or removes it when {@code shadow} is null. */
    Endpoint updateShadow(Actor actor, String name, long expectedVersion, Shadow shadow);

    /**
     * Makes {@code variant} the active side of a blue-green endpoint: a switch, or a switch back.
     * Naming the side already active changes nothing, so a repeated command cannot flip twice.
     */
    Endpoint switchTo(Actor actor, String name, String variant);

    Rollout startCanary(Actor actor, String name, CanaryStart request);

    /** Gives the canary all the traffic now, ending the rollout. */
    Rollout promote(Actor actor, String name);

    /** Sends all the traffic back to stable, ending the rollout. */
    Rollout abort(Actor actor, String name, String reason);

    /** Holds the canary at its current weight; guardrails stay armed, so a breach still rolls back. */
    Rollout pause(Actor actor, String name, String reason);

    /** Continues a paused rollout; its current step's analysis starts afresh. */
    Rollout resume(Actor actor, String name);

    /** The endpoint's latest rollout, in flight or ended, with its history and any rollback report. */
    Rollout getRollout(Actor actor, String name);

    /** Every rollout of the endpoint, newest first. */
    List<Rollout> listRollouts(Actor actor, String name);

    /** Each variant's traffic in this process since its statistics started, by variant name. */
    Map<String, Totals> variantTotals(Actor actor, String name);

    /** Two variants side by side on {@code metric}, with a significance test of the difference. */
    VariantComparison compareVariants(Actor actor, String name, String a, String b, ComparedMetric metric);
}
