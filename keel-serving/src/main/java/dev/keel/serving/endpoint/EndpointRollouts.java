package dev.keel.serving.endpoint;

import dev.keel.api.serving.BlueGreen;
import dev.keel.api.serving.Canary;
import dev.keel.api.serving.CanaryStart;
import dev.keel.api.serving.Endpoint;
import dev.keel.api.serving.EndpointRules;
import dev.keel.api.serving.Rollout;
import dev.keel.api.serving.RolloutEvent;
import dev.keel.api.serving.RolloutStatus;
import dev.keel.api.serving.Single;
import dev.keel.api.serving.Variant;
import dev.keel.core.Actor;
import dev.keel.core.AuditAction;
import dev.keel.core.Checks;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import dev.keel.core.Permission;
import dev.keel.serving.endpoint.sql.JdbcEndpointStore;
import dev.keel.serving.rollout.AnalysisResult;
import dev.keel.serving.rollout.CanaryRollouts;
import dev.keel.serving.rollout.TrafficStatistics;
import dev.keel.store.AuditedStore;
import dev.keel.store.NextId;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.keel.core.AuditLog.summary;
import static dev.keel.serving.endpoint.StoredEndpoints.current;
import static dev.keel.serving.endpoint.StoredEndpoints.existing;
import static dev.keel.serving.endpoint.StoredEndpoints.requireNoRollout;
import static dev.keel.serving.endpoint.StoredEndpoints.resource;
import static dev.keel.serving.endpoint.StoredEndpoints.write;

/**
 * An endpoint's canary rollouts, as people command them and as the rollout controller drives
 * them. {@link RolloutTransitions} decides what each command or analysis outcome does; this class
 * commits it: the endpoint's row under its version check, the rollout's under its revision check
 * and the audit event, in one transaction of the {@link AuditedStore}. The router is told of a
 * new policy only once that transaction has committed, so a transaction run again tells it once.
 */
final class EndpointRollouts implements CanaryRollouts {
    private static final int MAX_REASON_LENGTH = 1000;

    private final AuditedStore<JdbcEndpointStore> store;
    private final Clock clock;
    private final EndpointAccess access;
    private final TrafficStatistics statistics;
    private final EndpointChanges changes;

    EndpointRollouts(AuditedStore<JdbcEndpointStore> store, Clock clock, EndpointAccess access,
                     TrafficStatistics statistics, EndpointChanges changes) {
        this.store = store;
        this.clock = clock;
        this.access = access;
        this.statistics = statistics;
        this.changes = changes;
    }

    // as people command them

    Rollout startCanary(Actor actor, String name, CanaryStart request) {
        Checks.requireNonNull("request", request);
        Endpoint before = access.existing(name);
        Variant canaryVariant = request.canary();
        Set<String> models = new LinkedHashSet<>(before.models());
        models.add(canaryVariant.model().name());
        access.requireOnModels(actor, Permission.USE, models);
        Instant now = clock.instant();
        Transition started = store.write(actor, (tables, events) -> {
            Endpoint current = current(tables, name, before.version());
            requireNoRollout(tables, name);
            String stable = stableOf(current);
            List<Variant> variants = withCanary(current, canaryVariant, stable);
            Canary policy = new Canary(stable, canaryVariant.name(), request.steps(), 0, request.analysis());
            EndpointRules.references(variants, policy, current.shadow());
            EndpointRules.shadowNotLive(policy, current.shadow());
            Endpoint next = current.changed(variants, policy, current.shadow(), now);
            write(tables, next, current.version());
            Rollout rollout = insertRollout(tables, next, policy, canaryVariant, actor, now);
            events.record(AuditAction.ROLLOUT_START, resource(name), summary("rollout", rollout.id(), "stable", stable,
                    "canary", canaryVariant.name(), "model", canaryVariant.model().uri(), "steps", request.steps()));
            return new Transition(next, rollout, AuditAction.ROLLOUT_START, Map.of());
        });
        // the canary's evidence starts now, not with whatever a variant of that name served before
        statistics.reset(name, canaryVariant.name());
        changes.changed(started.endpoint());
        return started.rollout();
    }

    Rollout promote(Actor actor, String name) {
        return command(actor, name, (endpoint, rollout) -> RolloutTransitions.promote(endpoint, rollout, actor,
                clock.instant()));
    }

    Rollout abort(Actor actor, String name, String reason) {
        requireReason(reason);
        return command(actor, name, (endpoint, rollout) -> RolloutTransitions.abort(endpoint, rollout, reason, actor,
                clock.instant()));
    }

    Rollout pause(Actor actor, String name, String reason) {
        requireReason(reason);
        return command(actor, name, (endpoint, rollout) -> RolloutTransitions.pause(rollout, reason, actor,
                clock.instant()));
    }

    Rollout resume(Actor actor, String name) {
        return command(actor, name, (endpoint, rollout) -> RolloutTransitions.resume(rollout, actor, clock.instant()));
    }

    Rollout getRollout(Actor actor, String name) {
        access.readable(actor, name);
        return store.read(tables -> tables.latestRollout(name))
                .orElseThrow(() -> KeelException.notFound("endpoint '" + name + "' has had no rollout"));
    }

    List<Rollout> listRollouts(Actor actor, String name) {
        access.readable(actor, name);
        return store.read(tables -> tables.rollouts(name));
    }

    // as the controller drives them

    @Override
    public List<Rollout> active() {
        return store.read(JdbcEndpointStore::activeRollouts);
    }

    @Override
    public Rollout advance(Rollout rollout, AnalysisResult analysis) {
        return drive(rollout, (endpoint, current) -> RolloutTransitions.advance(endpoint, current, analysis,
                EmbeddedEndpointService.CONTROLLER, clock.instant()));
    }

    @Override
    public Rollout inconclusive(Rollout rollout, AnalysisResult analysis, boolean pause) {
        return drive(rollout, (endpoint, current) -> RolloutTransitions.inconclusive(current, analysis, pause,
                EmbeddedEndpointService.CONTROLLER, clock.instant()));
    }

    @Override
    public Rollout rollBack(Rollout rollout, AnalysisResult analysis, Instant detectedAt) {
        return drive(rollout, (endpoint, current) -> RolloutTransitions.rollBack(endpoint, current, analysis, detectedAt,
                EmbeddedEndpointService.CONTROLLER, clock.instant()));
    }

    // committing a transition

    /** A person's command on the endpoint's rollout in flight. */
    private Rollout command(Actor actor, String name, RolloutStep step) {
        Endpoint before = access.existing(name);
        access.requireOnModels(actor, Permission.USE, before.models());
        return apply(actor, name, before.version(), null, step);
    }

    /** The controller's decision on the rollout as it saw it: refused (409) if anything changed since. */
    private Rollout drive(Rollout seen, RolloutStep step) {
        return apply(EmbeddedEndpointService.CONTROLLER, seen.endpoint(), null, seen, step);
    }

    private Rollout apply(Actor actor, String name, Long expectedVersion, Rollout seen, RolloutStep step) {
        Transition done = store.write(actor, (tables, events) -> {
            Endpoint current = expectedVersion == null ? existing(tables, name) : current(tables, name, expectedVersion);
            Rollout rollout = tables.activeRollout(name).orElseThrow(() -> new KeelException(ErrorCode.RESOURCE_CONFLICT,
                    "endpoint '" + name + "' has no canary rollout in progress"));
            if (seen != null && (seen.id() != rollout.id() || seen.revision() != rollout.revision())) {
                throw new KeelException(ErrorCode.RESOURCE_CONFLICT, "the rollout of endpoint '" + name
                        + "' changed while it was being analysed");
            }
            Transition transition = step.apply(current, rollout);
            if (transition.endpoint() != null) {
                write(tables, transition.endpoint(), current.version());
            }
            if (!tables.updateRollout(transition.rollout(), rollout.revision(), rollout.history().size())) {
                throw new KeelException(ErrorCode.RESOURCE_CONFLICT, "the rollout of endpoint '" + name
                        + "' was changed by someone else; look again");
            }
            events.record(transition.action(), resource(name), transition.summary());
            return transition;
        });
        if (done.endpoint() != null) {
            changes.changed(done.endpoint());
        }
        return done.rollout();
    }

    @FunctionalInterface
    private interface RolloutStep {
        Transition apply(Endpoint endpoint, Rollout rollout);
    }

    /** The new rollout under the next free id: another server may take the same id first (PostgreSQL). */
    private static Rollout insertRollout(JdbcEndpointStore tables, Endpoint endpoint, Canary policy, Variant canary,
                                         Actor actor, Instant now) throws SQLException {
        return NextId.claim("a rollout id", tables::nextRolloutId, id -> {
            Rollout rollout = new Rollout(id, endpoint.name(), policy.stable(), policy.canary(), canary.model().uri(),
                    policy.steps(), policy.analysis(), 0, RolloutStatus.PROGRESSING, null, now, now,
                    now.plus(policy.analysis().interval()), 0, null, 1,
                    List.of(new RolloutEvent(now, actor.name(), "started", policy.weight(), canary.model().uri())), null);
            return tables.insertRollout(rollout) ? rollout : null;
        });
    }

    /** The side that serves everything now, which a canary starts from. */
    private static String stableOf(Endpoint endpoint) {
        if (endpoint.policy() instanceof Single single) {
            return single.variant();
        }
        if (endpoint.policy() instanceof BlueGreen blueGreen) {
            return blueGreen.active();
        }
        throw new KeelException(ErrorCode.RESOURCE_CONFLICT, "endpoint '" + endpoint.name() + "' runs a "
                + endpoint.policy().kind() + " policy; a canary starts from a single or blue-green endpoint");
    }

    private static List<Variant> withCanary(Endpoint endpoint, Variant canary, String stable) {
        if (canary.name().equals(stable)) {
            throw KeelException.invalid("'canary.name' must differ from the stable variant '" + stable + "'");
        }
        if (endpoint.hasVariant(canary.name())) {
            Variant existing = endpoint.variant(canary.name());
            if (!existing.model().equals(canary.model())) {
                throw KeelException.invalid("'canary.model' is " + canary.model().uri() + " but variant '"
                        + canary.name() + "' of endpoint '" + endpoint.name() + "' serves " + existing.model().uri()
                        + "; name a new variant for a new model");
            }
            return endpoint.variants();
        }
        List<Variant> variants = new ArrayList<>(endpoint.variants());
        variants.add(canary);
        return EndpointRules.variants(variants);
    }

    private static void requireReason(String reason) {
        Checks.requireMaxLength("reason", reason, MAX_REASON_LENGTH);
    }
}
