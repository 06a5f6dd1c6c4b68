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
import dev.keel.api.serving.ServingName;
import dev.keel.api.serving.Shadow;
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
import dev.keel.core.Visibility;
import dev.keel.serving.endpoint.sql.JdbcEndpointStore;
import dev.keel.serving.rollout.AnalysisResult;
import dev.keel.serving.rollout.CanaryRollouts;
import dev.keel.serving.rollout.SignificanceTest;
import dev.keel.serving.rollout.TrafficStatistics;
import dev.keel.store.AuditedStore;
import dev.keel.store.Database;

import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static dev.keel.core.AuditLog.summary;
import static dev.keel.serving.endpoint.StoredEndpoints.current;
import static dev.keel.serving.endpoint.StoredEndpoints.models;
import static dev.keel.serving.endpoint.StoredEndpoints.notFound;
import static dev.keel.serving.endpoint.StoredEndpoints.requireNoRollout;
import static dev.keel.serving.endpoint.StoredEndpoints.resource;
import static dev.keel.serving.endpoint.StoredEndpoints.write;

/**
 * Endpoints and rollouts in-process, on the metadata database (SQLite or PostgreSQL), and the
 * {@link CanaryRollouts} the rollout controller drives. Endpoints are here; rollouts are
 * {@link EndpointRollouts}'.
 *
 * <p>Each change is one transaction of the {@link AuditedStore}: the endpoint's row is written
 * under its version check, the rollout's under its revision check, and the audit event alongside,
 * so a change is stored whole with its event or not at all, and of two concurrent changes the
 * second is refused (409). Once committed, the change is told to {@link EndpointChanges} (the
 * router) so live traffic follows at once.
 */
public final class EmbeddedEndpointService implements EndpointService, CanaryRollouts {
    /** Who the audit trail names for what the rollout controller does on its own. */
    public static final Actor CONTROLLER = new Actor("keel-rollouts");

    private final AuditedStore<JdbcEndpointStore> store;
    private final Clock clock;
    private final EndpointAccess access;
    private final TrafficStatistics statistics;
    private final EndpointChanges changes;
    private final EndpointRollouts rollouts;
    /** The endpoints the last {@link #resync} found, to tell deletions made elsewhere. */
    private volatile Set<String> lastSynced = Set.of();

    private EmbeddedEndpointService(Database db, Clock clock, AuditLog audit, Authorizer authorizer,
                                    TrafficStatistics statistics, EndpointChanges changes) {
        this.store = new AuditedStore<>(db, audit, JdbcEndpointStore::new);
        this.clock = clock;
        this.access = new EndpointAccess(store, authorizer);
        this.statistics = statistics;
        this.changes = changes;
        this.rollouts = new EndpointRollouts(store, clock, access, statistics, changes);
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
        List<Endpoint> stored = store.read(JdbcEndpointStore::endpoints);
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
        access.requireOnModels(actor, Permission.USE, models(request.variants()));
        Instant now = clock.instant();
        Endpoint created = new Endpoint(request.name(), request.variants(), fresh(request.policy(), null),
                request.shadow(), 1, actor.name(), now, now);
        store.write(actor, (tables, events) -> {
            if (!tables.insert(created)) {
                throw KeelException.alreadyExists("endpoint '" + created.name() + "' already exists");
            }
            events.record(AuditAction.ENDPOINT_CREATE, resource(created.name()), summary("policy",
                    created.policy().kind(), "variants", describe(created.variants()), "shadow",
                    shadowText(created.shadow())));
            return null;
        });
        resetIfNewAbTest(null, created);
        changes.changed(created);
        return created;
    }

    @Override
    public Endpoint getEndpoint(Actor actor, String name) {
        return access.readable(actor, name);
    }

    @Override
    public List<Endpoint> listEndpoints(Actor actor) {
        Visibility visible = access.visibleModels(actor);
        // endpoints are few (one per served use case), so filtering here keeps no page short
        return store.read(JdbcEndpointStore::endpoints).stream()
                .filter(endpoint -> endpoint.models().stream().allMatch(visible::includes))
                .toList();
    }

    @Override
    public void deleteEndpoint(Actor actor, String name) {
        Endpoint endpoint = access.existing(name);
        access.requireOnModels(actor, Permission.USE, endpoint.models());
        store.write(actor, (tables, events) -> {
            if (!tables.delete(name)) {
                throw notFound(name);
            }
            events.record(AuditAction.ENDPOINT_DELETE, resource(name), summary("version", endpoint.version()));
            return null;
        });
        statistics.forget(name);
        changes.deleted(name);
    }

    @Override
    public Endpoint updatePolicy(Actor actor, String name, PolicyUpdate update) {
        Checks.requireNonNull("update", update);
        Endpoint before = access.existing(name);
        if (update.policy() instanceof Canary) {
            throw KeelException.invalid("'policy' cannot be set to a canary: start a canary rollout instead");
        }
        List<Variant> variants = update.variants() == null ? before.variants() : update.variants();
        EndpointRules.references(variants, update.policy(), before.shadow());
        EndpointRules.shadowNotLive(update.policy(), before.shadow());
        Set<String> models = new LinkedHashSet<>(before.models());
        models.addAll(models(variants));
        access.requireOnModels(actor, Permission.USE, models);
        Instant now = clock.instant();
        Endpoint after = store.write(actor, (tables, events) -> {
            Endpoint current = current(tables, name, update.expectedVersion());
            requireNoRollout(tables, name);
            Endpoint next = current.changed(variants, fresh(update.policy(), current.policy()), current.shadow(), now);
            write(tables, next, current.version());
            events.record(AuditAction.ENDPOINT_UPDATE_POLICY, resource(name), summary("version", next.version(),
                    "policy", next.policy().kind(), "split", next.policy().split(), "variants", describe(next.variants())));
            return next;
        });
        resetIfNewAbTest(before, after);
        changes.changed(after);
        return after;
    }

    @Override
    public Endpoint updateShadow(Actor actor, String name, long expectedVersion, Shadow shadow) {
        Endpoint before = access.existing(name);
        EndpointRules.references(before.variants(), before.policy(), shadow);
        EndpointRules.shadowNotLive(before.policy(), shadow);
        access.requireOnModels(actor, Permission.USE, before.models());
        Instant now = clock.instant();
        Endpoint after = store.write(actor, (tables, events) -> {
            Endpoint current = current(tables, name, expectedVersion);
            // the policy may have moved on since the checks above (a rollout step): check the shadow against it again
            EndpointRules.shadowNotLive(current.policy(), shadow);
            Endpoint next = current.changed(current.variants(), current.policy(), shadow, now);
            write(tables, next, current.version());
            events.record(AuditAction.ENDPOINT_UPDATE_SHADOW, resource(name), summary("version", next.version(),
                    "shadow", shadowText(shadow)));
            return next;
        });
        changes.changed(after);
        return after;
    }

    @Override
    public Endpoint switchTo(Actor actor, String name, String variant) {
        ServingName.requireValid("variant", variant);
        Endpoint before = access.existing(name);
        access.requireOnModels(actor, Permission.USE, before.models());
        Instant now = clock.instant();
        Endpoint after = store.write(actor, (tables, events) -> {
            Endpoint current = current(tables, name, before.version());
            if (!(current.policy() instanceof BlueGreen blueGreen)) {
                throw new KeelException(ErrorCode.RESOURCE_CONFLICT, "endpoint '" + name + "' is not blue-green (its"
                        + " policy is " + current.policy().kind() + "); only a blue-green endpoint switches sides");
            }
            if (blueGreen.active().equals(variant)) {
                // already serving that side: nothing to switch, nothing to record
                events.unchanged();
                return current;
            }
            if (!blueGreen.standby().equals(variant)) {
                throw KeelException.invalid("'variant' must be a side of the blue-green endpoint '" + name + "' (active '"
                        + blueGreen.active() + "', standby '" + blueGreen.standby() + "'; got '" + variant + "')");
            }
            Endpoint next = current.changed(current.variants(), blueGreen.switched(now), current.shadow(), now);
            write(tables, next, current.version());
            events.record(AuditAction.ENDPOINT_SWITCH, resource(name), summary("version", next.version(), "from",
                    blueGreen.active(), "to", variant, "keep_warm", blueGreen.keepWarm().toString()));
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
        return rollouts.startCanary(actor, name, request);
    }

    @Override
    public Rollout promote(Actor actor, String name) {
        return rollouts.promote(actor, name);
    }

    @Override
    public Rollout abort(Actor actor, String name, String reason) {
        return rollouts.abort(actor, name, reason);
    }

    @Override
    public Rollout pause(Actor actor, String name, String reason) {
        return rollouts.pause(actor, name, reason);
    }

    @Override
    public Rollout resume(Actor actor, String name) {
        return rollouts.resume(actor, name);
    }

    @Override
    public Rollout getRollout(Actor actor, String name) {
        return rollouts.getRollout(actor, name);
    }

    @Override
    public List<Rollout> listRollouts(Actor actor, String name) {
        return rollouts.listRollouts(actor, name);
    }

    // rollouts, as the controller drives them

    @Override
    public List<Rollout> active() {
        return rollouts.active();
    }

    @Override
    public Rollout advance(Rollout rollout, AnalysisResult analysis) {
        return rollouts.advance(rollout, analysis);
    }

    @Override
    public Rollout inconclusive(Rollout rollout, AnalysisResult analysis, boolean pause) {
        return rollouts.inconclusive(rollout, analysis, pause);
    }

    @Override
    public Rollout rollBack(Rollout rollout, AnalysisResult analysis, Instant detectedAt) {
        return rollouts.rollBack(rollout, analysis, detectedAt);
    }

    // traffic

    @Override
    public Map<String, Totals> variantTotals(Actor actor, String name) {
        access.readable(actor, name);
        return statistics.totals(name);
    }

    @Override
    public VariantComparison compareVariants(Actor actor, String name, String a, String b, ComparedMetric metric) {
        ServingName.requireValid("a", a);
        ServingName.requireValid("b", b);
        Checks.requireNonNull("metric", metric);
        Endpoint endpoint = access.readable(actor, name);
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

    private static List<String> describe(List<Variant> variants) {
        return variants.stream().map(variant -> variant.name() + "=" + variant.model().uri()).toList();
    }

    private static String shadowText(Shadow shadow) {
        return shadow == null ? null : shadow.variant() + " " + shadow.percent() + "%";
    }
}
