package dev.keel.serving.endpoint;

import dev.keel.api.serving.AbTest;
import dev.keel.api.serving.BlueGreen;
import dev.keel.api.serving.Canary;
import dev.keel.api.serving.CanaryStart;
import dev.keel.api.serving.ComparedMetric;
import dev.keel.api.serving.Endpoint;
import dev.keel.api.serving.EndpointRules;
import dev.keel.api.serving.EndpointService;
import dev.keel.api.serving.NewEndpoint;
import dev.keel.api.serving.PolicyUpdate;
import dev.keel.api.serving.Rollout;
import dev.keel.api.serving.RolloutEvent;
import dev.keel.api.serving.RolloutStatus;
import dev.keel.api.serving.ServingName;
import dev.keel.api.serving.Shadow;
import dev.keel.api.serving.Single;
import dev.keel.api.serving.Totals;
import dev.keel.api.serving.TrafficPolicy;
import dev.keel.api.serving.Variant;
import dev.keel.api.serving.VariantComparison;
import dev.keel.core.Actor;
import dev.keel.core.AuditAction;
import dev.keel.core.AuditLog;
import dev.keel.core.Authorizer;
import dev.keel.core.Checks;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import dev.keel.core.Permission;
import dev.keel.core.Resource;
import dev.keel.core.Visibility;
import dev.keel.serving.endpoint.sql.JdbcEndpointStore;
import dev.keel.serving.rollout.AnalysisResult;
import dev.keel.serving.rollout.CanaryRollouts;
import dev.keel.serving.rollout.SignificanceTest;
import dev.keel.serving.rollout.TrafficStatistics;
import dev.keel.store.Database;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static dev.keel.core.AuditLog.summary;

/**
 * Endpoints and rollouts in-process, on the metadata database (SQLite or PostgreSQL), and the
 * {@link CanaryRollouts} the rollout controller drives.
 *
 * <p>Each change is one transaction: the endpoint's row is written under its version check,
 * the rollout's under its revision check, and the audit event alongside, so a change is stored
 * whole with its event or not at all, and of two concurrent changes the second is refused (409).
 * Once committed, the change is told to {@link EndpointChanges} (the router) so live traffic
 * follows at once.
 */
public final class EmbeddedEndpointService implements EndpointService, CanaryRollouts {
    /** Who the audit trail names for what the rollout controller does on its own. */
    public static final Actor CONTROLLER = new Actor("keel-rollouts");
    private static final int MAX_REASON_LENGTH = 1000;

    private final Database db;
    private final Clock clock;
    private final AuditLog audit;
    private final Authorizer authorizer;
    private final TrafficStatistics statistics;
    private final EndpointChanges changes;
    /** The endpoints the last {@link #resync} found, to tell deletions made elsewhere. */
    private volatile Set<String> lastSynced = Set.of();

    private EmbeddedEndpointService(Database db, Clock clock, AuditLog audit, Authorizer authorizer,
                                    TrafficStatistics statistics, EndpointChanges changes) {
        this.db = db;
        this.clock = clock;
        this.audit = audit;
        this.authorizer = authorizer;
        this.statistics = statistics;
        this.changes = changes;
    }

    /**
     * Migrates the serving tables and tells {@code changes} about every stored endpoint, so a
     * router built before it routes as before a restart.
     */
    public static EmbeddedEndpointService open(Database db, Clock clock, AuditLog audit, Authorizer authorizer,
                                               TrafficStatistics statistics, EndpointChanges changes) {
        Objects.requireNonNull(audit, "audit");
        Objects.requireNonNull(authorizer, "authorizer");
        Objects.requireNonNull(statistics, "statistics");
        Objects.requireNonNull(changes, "changes");
        db.migrate("serving");
        EmbeddedEndpointService service = new EmbeddedEndpointService(db, clock, audit, authorizer, statistics, changes);
        service.resync();
        return service;
    }

    /**
     * Tells {@code changes} about every endpoint as stored now, and about every one deleted since
     * the last call: what another server on the same database changed reaches this one's router
     * this way (its own changes arrive at once). The router keeps the newer of two versions, so
     * telling it again costs nothing but the read.
     */
    public void resync() {
        List<Endpoint> stored = db.read(connection -> new JdbcEndpointStore(connection).endpoints());
        Set<String> names = new HashSet<>();
        for (Endpoint endpoint : stored) {
            names.add(endpoint.name());
            changes.changed(endpoint);
        }
        for (String name : lastSynced) {
            if (!names.contains(name)) {
                changes.deleted(name);
            }
        }
        lastSynced = Set.copyOf(names);
    }

    // endpoints

    @Override
    public Endpoint createEndpoint(Actor actor, NewEndpoint request) {
        Checks.requireNonNull("request", request);
        if (request.policy() instanceof Canary) {
            throw KeelException.invalid("'policy' cannot be a canary on a new endpoint: create it with the stable"
                    + " variant, then start a canary rollout");
        }
        EndpointRules.shadowNotLive(request.policy(), request.shadow());
        requireOnModels(actor, Permission.USE, models(request.variants()));
        Instant now = clock.instant();
        Endpoint created = new Endpoint(request.name(), request.variants(), fresh(request.policy(), null),
                request.shadow(), 1, actor.name(), now, now);
        db.inTransaction(tx -> {
            if (!new JdbcEndpointStore(tx).insert(created)) {
                throw KeelException.alreadyExists("endpoint '" + created.name() + "' already exists");
            }
            record(tx, actor, AuditAction.ENDPOINT_CREATE, created, summary("policy", created.policy().kind(),
                    "variants", describe(created.variants()), "shadow", shadowText(created.shadow())));
            return null;
        });
        resetIfNewAbTest(null, created);
        changes.changed(created);
        return created;
    }

    @Override
    public Endpoint getEndpoint(Actor actor, String name) {
        Endpoint endpoint = existing(name);
        requireOnModels(actor, Permission.READ, endpoint.models());
        return endpoint;
    }

    @Override
    public List<Endpoint> listEndpoints(Actor actor) {
        Checks.requireNonNull("actor", actor);
        Visibility visible = authorizer.visible(actor, Resource.Kind.REGISTERED_MODEL);
        // endpoints are few (one per served use case), so filtering here keeps no page short
        return db.read(connection -> new JdbcEndpointStore(connection).endpoints()).stream()
                .filter(endpoint -> endpoint.models().stream().allMatch(visible::includes))
                .toList();
    }

    @Override
    public void deleteEndpoint(Actor actor, String name) {
        Endpoint endpoint = existing(name);
        requireOnModels(actor, Permission.USE, endpoint.models());
        db.inTransaction(tx -> {
            if (!new JdbcEndpointStore(tx).delete(name)) {
                throw notFound(name);
            }
            record(tx, actor, AuditAction.ENDPOINT_DELETE, endpoint, summary("version", endpoint.version()));
            return null;
        });
        statistics.forget(name);
        changes.deleted(name);
    }

    @Override
    public Endpoint updatePolicy(Actor actor, String name, PolicyUpdate update) {
        Checks.requireNonNull("update", update);
        Endpoint before = existing(name);
        if (update.policy() instanceof Canary) {
            throw KeelException.invalid("'policy' cannot be set to a canary: start a canary rollout instead");
        }
        List<Variant> variants = update.variants() == null ? before.variants() : update.variants();
        EndpointRules.references(variants, update.policy(), before.shadow());
        EndpointRules.shadowNotLive(update.policy(), before.shadow());
        Set<String> models = new LinkedHashSet<>(before.models());
        models.addAll(models(variants));
        requireOnModels(actor, Permission.USE, models);
        Instant now = clock.instant();
        Endpoint after = db.inTransaction(tx -> {
            JdbcEndpointStore store = new JdbcEndpointStore(tx);
            Endpoint current = current(store, name, update.expectedVersion());
            requireNoRollout(store, name);
            Endpoint next = current.changed(variants, fresh(update.policy(), current.policy()), current.shadow(), now);
            write(store, next, current.version());
            record(tx, actor, AuditAction.ENDPOINT_UPDATE_POLICY, next, summary("version", next.version(),
                    "policy", next.policy().kind(), "split", next.policy().split(), "variants", describe(next.variants())));
            return next;
        });
        resetIfNewAbTest(before, after);
        changes.changed(after);
        return after;
    }

    @Override
    public Endpoint updateShadow(Actor actor, String name, long expectedVersion, Shadow shadow) {
        Endpoint before = existing(name);
        EndpointRules.references(before.variants(), before.policy(), shadow);
        EndpointRules.shadowNotLive(before.policy(), shadow);
        requireOnModels(actor, Permission.USE, before.models());
        Instant now = clock.instant();
        Endpoint after = db.inTransaction(tx -> {
            JdbcEndpointStore store = new JdbcEndpointStore(tx);
            Endpoint current = current(store, name, expectedVersion);
            // the policy may have moved on since the checks above (a rollout step): check the shadow against it again
            EndpointRules.shadowNotLive(current.policy(), shadow);
            Endpoint next = current.changed(current.variants(), current.policy(), shadow, now);
            write(store, next, current.version());
            record(tx, actor, AuditAction.ENDPOINT_UPDATE_SHADOW, next, summary("version", next.version(),
                    "shadow", shadowText(shadow)));
            return next;
        });
        changes.changed(after);
        return after;
    }

    @Override
    public Endpoint switchTo(Actor actor, String name, String variant) {
        ServingName.requireValid("variant", variant);
        Endpoint before = existing(name);
        requireOnModels(actor, Permission.USE, before.models());
        Instant now = clock.instant();
        Endpoint after = db.inTransaction(tx -> {
            JdbcEndpointStore store = new JdbcEndpointStore(tx);
            Endpoint current = current(store, name, before.version());
            if (!(current.policy() instanceof BlueGreen blueGreen)) {
                throw new KeelException(ErrorCode.RESOURCE_CONFLICT, "endpoint '" + name + "' is not blue-green (its"
                        + " policy is " + current.policy().kind() + "); only a blue-green endpoint switches sides");
            }
            if (blueGreen.active().equals(variant)) {
                return current;
            }
            if (!blueGreen.standby().equals(variant)) {
                throw KeelException.invalid("'variant' must be a side of the blue-green endpoint '" + name + "' (active '"
                        + blueGreen.active() + "', standby '" + blueGreen.standby() + "'; got '" + variant + "')");
            }
            Endpoint next = current.changed(current.variants(), blueGreen.switched(now), current.shadow(), now);
            write(store, next, current.version());
            record(tx, actor, AuditAction.ENDPOINT_SWITCH, next, summary("version", next.version(), "from", blueGreen.active(),
                    "to", variant, "keep_warm", blueGreen.keepWarm().toString()));
            return next;
        });
        if (after.version() != before.version()) {
            changes.changed(after);
        }
        return after;
    }

    // rollouts, as people command them

    @Override
    public Rollout startCanary(Actor actor, String name, CanaryStart request) {
        Checks.requireNonNull("request", request);
        Endpoint before = existing(name);
        Variant canaryVariant = request.canary();
        Set<String> models = new LinkedHashSet<>(before.models());
        models.add(canaryVariant.model().name());
        requireOnModels(actor, Permission.USE, models);
        Instant now = clock.instant();
        Transition started = db.inTransaction(tx -> {
            JdbcEndpointStore store = new JdbcEndpointStore(tx);
            Endpoint current = current(store, name, before.version());
            requireNoRollout(store, name);
            String stable = stableOf(current);
            List<Variant> variants = withCanary(current, canaryVariant, stable);
            Canary policy = new Canary(stable, canaryVariant.name(), request.steps(), 0, request.analysis());
            EndpointRules.references(variants, policy, current.shadow());
            EndpointRules.shadowNotLive(policy, current.shadow());
            Endpoint next = current.changed(variants, policy, current.shadow(), now);
            write(store, next, current.version());
            Rollout rollout = insertRollout(store, next, policy, canaryVariant, actor, now);
            record(tx, actor, AuditAction.ROLLOUT_START, next, summary("rollout", rollout.id(), "stable", stable,
                    "canary", canaryVariant.name(), "model", canaryVariant.model().uri(), "steps", request.steps()));
            return new Transition(next, rollout, AuditAction.ROLLOUT_START, Map.of());
        });
        // the canary's evidence starts now, not with whatever a variant of that name served before
        statistics.reset(name, canaryVariant.name());
        changes.changed(started.endpoint());
        return started.rollout();
    }

    @Override
    public Rollout promote(Actor actor, String name) {
        return command(actor, name, (endpoint, rollout) -> RolloutTransitions.promote(endpoint, rollout, actor,
                clock.instant()));
    }

    @Override
    public Rollout abort(Actor actor, String name, String reason) {
        requireReason(reason);
        return command(actor, name, (endpoint, rollout) -> RolloutTransitions.abort(endpoint, rollout, reason, actor,
                clock.instant()));
    }

    @Override
    public Rollout pause(Actor actor, String name, String reason) {
        requireReason(reason);
        return command(actor, name, (endpoint, rollout) -> RolloutTransitions.pause(rollout, reason, actor,
                clock.instant()));
    }

    @Override
    public Rollout resume(Actor actor, String name) {
        return command(actor, name, (endpoint, rollout) -> RolloutTransitions.resume(rollout, actor, clock.instant()));
    }

    @Override
    public Rollout getRollout(Actor actor, String name) {
        getEndpoint(actor, name);
        return db.read(connection -> new JdbcEndpointStore(connection).latestRollout(name))
                .orElseThrow(() -> KeelException.notFound("endpoint '" + name + "' has had no rollout"));
    }

    @Override
    public List<Rollout> listRollouts(Actor actor, String name) {
        getEndpoint(actor, name);
        return db.read(connection -> new JdbcEndpointStore(connection).rollouts(name));
    }

    @Override
    public Map<String, Totals> variantTotals(Actor actor, String name) {
        getEndpoint(actor, name);
        return statistics.totals(name);
    }

    @Override
    public VariantComparison compareVariants(Actor actor, String name, String a, String b, ComparedMetric metric) {
        ServingName.requireValid("a", a);
        ServingName.requireValid("b", b);
        Checks.requireNonNull("metric", metric);
        Endpoint endpoint = getEndpoint(actor, name);
        for (String variant : List.of(a, b)) {
            if (!endpoint.hasVariant(variant)) {
                throw KeelException.invalid("'" + (variant.equals(a) ? "a" : "b") + "' names variant '" + variant
                        + "', which endpoint '" + name + "' does not have");
            }
        }
        if (a.equals(b)) {
            throw KeelException.invalid("'b' must differ from 'a' (both are '" + a + "')");
        }
        return SignificanceTest.compare(metric, a, statistics.variant(name, a).totals(), b,
                statistics.variant(name, b).totals());
    }

    // rollouts, as the controller drives them

    @Override
    public List<Rollout> active() {
        return db.read(connection -> new JdbcEndpointStore(connection).activeRollouts());
    }

    @Override
    public Rollout advance(Rollout rollout, AnalysisResult analysis) {
        return drive(rollout, (endpoint, current) -> RolloutTransitions.advance(endpoint, current, analysis, CONTROLLER,
                clock.instant()));
    }

    @Override
    public Rollout inconclusive(Rollout rollout, AnalysisResult analysis, boolean pause) {
        return drive(rollout, (endpoint, current) -> RolloutTransitions.inconclusive(current, analysis, pause, CONTROLLER,
                clock.instant()));
    }

    @Override
    public Rollout rollBack(Rollout rollout, AnalysisResult analysis, Instant detectedAt) {
        return drive(rollout, (endpoint, current) -> RolloutTransitions.rollBack(endpoint, current, analysis, detectedAt,
                CONTROLLER, clock.instant()));
    }

    // plumbing

    /** A person's command on the endpoint's rollout in flight. */
    private Rollout command(Actor actor, String name, RolloutStep step) {
        Endpoint before = existing(name);
        requireOnModels(actor, Permission.USE, before.models());
        return apply(actor, name, before.version(), null, step);
    }

    /** The controller's decision on the rollout as it saw it: refused (409) if anything changed since. */
    private Rollout drive(Rollout seen, RolloutStep step) {
        return apply(CONTROLLER, seen.endpoint(), null, seen, step);
    }

    private Rollout apply(Actor actor, String name, Long expectedVersion, Rollout seen, RolloutStep step) {
        Transition done = db.inTransaction(tx -> {
            JdbcEndpointStore store = new JdbcEndpointStore(tx);
            Endpoint current = expectedVersion == null ? store.endpoint(name).orElseThrow(() -> notFound(name))
                    : current(store, name, expectedVersion);
            Rollout rollout = store.activeRollout(name).orElseThrow(() -> new KeelException(ErrorCode.RESOURCE_CONFLICT,
                    "endpoint '" + name + "' has no canary rollout in progress"));
            if (seen != null && (seen.id() != rollout.id() || seen.revision() != rollout.revision())) {
                throw new KeelException(ErrorCode.RESOURCE_CONFLICT, "the rollout of endpoint '" + name
                        + "' changed while it was being analysed");
            }
            Transition transition = step.apply(current, rollout);
            if (transition.endpoint() != null) {
                write(store, transition.endpoint(), current.version());
            }
            if (!store.updateRollout(transition.rollout(), rollout.revision(), rollout.history().size())) {
                throw new KeelException(ErrorCode.RESOURCE_CONFLICT, "the rollout of endpoint '" + name
                        + "' was changed by someone else; look again");
            }
            record(tx, actor, transition.action(), current, transition.summary());
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

    private Rollout insertRollout(JdbcEndpointStore store, Endpoint endpoint, Canary policy, Variant canary, Actor actor,
                                  Instant now) throws SQLException {
        for (int attempt = 0; attempt < 10; attempt++) {
            Rollout rollout = new Rollout(store.nextRolloutId(), endpoint.name(), policy.stable(), policy.canary(),
                    canary.model().uri(), policy.steps(), policy.analysis(), 0, RolloutStatus.PROGRESSING, null, now, now,
                    now.plus(policy.analysis().interval()), 0, null, 1,
                    List.of(new RolloutEvent(now, actor.name(), "started", policy.weight(), canary.model().uri())), null);
            // another server may take the same id first (PostgreSQL); then look again
            if (store.insertRollout(rollout)) {
                return rollout;
            }
        }
        throw new KeelException(ErrorCode.TEMPORARILY_UNAVAILABLE, "could not allocate a rollout id; try again");
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

    /** A person's blue-green policy starts unswitched, unless it keeps the sides of the one before. */
    private static TrafficPolicy fresh(TrafficPolicy policy, TrafficPolicy before) {
        if (policy instanceof BlueGreen blueGreen) {
            Instant kept = null;
            if (before instanceof BlueGreen old && old.active().equals(blueGreen.active())
                    && old.standby().equals(blueGreen.standby())) {
                kept = old.lastSwitch();
            }
            return new BlueGreen(blueGreen.active(), blueGreen.standby(), blueGreen.keepWarm(), kept);
        }
        return policy;
    }

    /** An A/B test's comparison starts with the test, not with what its variants served before. */
    private void resetIfNewAbTest(Endpoint before, Endpoint after) {
        if (after.policy() instanceof AbTest test && (before == null || !test.equals(before.policy()))) {
            test.weights().keySet().forEach(variant -> statistics.reset(after.name(), variant));
        }
    }

    private Endpoint existing(String name) {
        ServingName.requireValid("name", name);
        return db.read(connection -> new JdbcEndpointStore(connection).endpoint(name)).orElseThrow(() -> notFound(name));
    }

    private static Endpoint current(JdbcEndpointStore store, String name, long expectedVersion) throws SQLException {
        Endpoint current = store.endpoint(name).orElseThrow(() -> notFound(name));
        if (current.version() != expectedVersion) {
            throw stale(name, expectedVersion, current.version());
        }
        return current;
    }

    private static void write(JdbcEndpointStore store, Endpoint next, long expectedVersion) throws SQLException {
        if (!store.update(next, expectedVersion)) {
            throw stale(next.name(), expectedVersion, -1);
        }
    }

    private static void requireNoRollout(JdbcEndpointStore store, String name) throws SQLException {
        if (store.activeRollout(name).isPresent()) {
            throw new KeelException(ErrorCode.RESOURCE_CONFLICT, "endpoint '" + name + "' has a canary rollout in"
                    + " progress; promote or abort it first");
        }
    }

    private void requireOnModels(Actor actor, Permission permission, Set<String> models) {
        Checks.requireNonNull("actor", actor);
        for (String model : models) {
            authorizer.require(actor, permission, Resource.model(model));
        }
    }

    private static Set<String> models(List<Variant> variants) {
        Set<String> models = new LinkedHashSet<>();
        variants.forEach(variant -> models.add(variant.model().name()));
        return models;
    }

    private void record(Connection tx, Actor actor, AuditAction action, Endpoint endpoint, Map<String, ?> summary)
            throws SQLException {
        audit.record(tx, actor, action, "endpoint/" + endpoint.name(), summary);
    }

    private static void requireReason(String reason) {
        Checks.requireMaxLength("reason", reason, MAX_REASON_LENGTH);
    }

    private static List<String> describe(List<Variant> variants) {
        return variants.stream().map(variant -> variant.name() + "=" + variant.model().uri()).toList();
    }

    private static String shadowText(Shadow shadow) {
        return shadow == null ? null : shadow.variant() + " " + shadow.percent() + "%";
    }

    private static KeelException notFound(String name) {
        return KeelException.notFound("no endpoint named '" + name + "'");
    }

    private static KeelException stale(String name, long expected, long actual) {
        return new KeelException(ErrorCode.RESOURCE_CONFLICT, "endpoint '" + name + "' was changed by someone else"
                + (actual >= 0 ? " (it is at version " + actual + ", the change was made on version " + expected + ")" : "")
                + "; read it again and retry");
    }
}
