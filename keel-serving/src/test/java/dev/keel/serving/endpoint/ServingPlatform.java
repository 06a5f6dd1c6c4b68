package dev.keel.serving.endpoint;

import dev.keel.api.audit.AuditEvent;
import dev.keel.core.Actor;
import dev.keel.core.Permission;
import dev.keel.core.Resource;
import dev.keel.core.Role;
import dev.keel.governance.access.AccessControl;
import dev.keel.governance.audit.AuditTrail;
import dev.keel.governance.audit.CheckpointKey;
import dev.keel.serving.rollout.ModelSignals;
import dev.keel.serving.rollout.RolloutController;
import dev.keel.serving.rollout.SettableClock;
import dev.keel.serving.rollout.TrafficStatistics;
import dev.keel.store.Database;

import java.time.Duration;
import java.util.List;

/**
 * The serving parts as the composition root wires them, on one database, with the real audit
 * trail and access control: users admin, alice (a member with USE on the models churn and
 * fraud), bob (a member holding the default READ, and nothing on fraud) and vera (a viewer).
 */
final class ServingPlatform implements AutoCloseable {
    static final Actor ADMIN = new Actor(AccessControl.ADMIN);
    static final Actor ALICE = new Actor("alice");
    static final Actor BOB = new Actor("bob");
    static final Actor VERA = new Actor("vera");
    private static final CheckpointKey KEY = CheckpointKey.inMemory();

    final Database db;
    final SettableClock clock;
    final AuditTrail audit;
    final AccessControl access;
    final TrafficStatistics statistics;
    final Router router;
    final EmbeddedEndpointService service;
    final RolloutController controller;

    ServingPlatform(Database db, SettableClock clock, long seed) {
        this.db = db;
        this.clock = clock;
        this.audit = AuditTrail.open(db, KEY, clock, AuditTrail.DEFAULT_CHECKPOINT_EVERY);
        this.access = AccessControl.open(db, audit, clock, Permission.READ, true);
        access.bootstrap("admin-password-1", Duration.ofHours(1));
        if (access.user("alice").isEmpty()) {
            access.createUser(ADMIN, "alice", null, Role.MEMBER);
            access.createUser(ADMIN, "bob", null, Role.MEMBER);
            access.createUser(ADMIN, "vera", null, Role.VIEWER);
            access.grant(ADMIN, Resource.model("churn"), "alice", Permission.USE);
            access.grant(ADMIN, Resource.model("fraud"), "alice", Permission.USE);
            access.grant(ADMIN, Resource.model("fraud"), "bob", Permission.NO_PERMISSIONS);
        }
        this.statistics = new TrafficStatistics(clock);
        this.router = new Router(statistics, seed);
        this.service = EmbeddedEndpointService.open(db, clock, audit, access, statistics, router);
        this.controller = new RolloutController(service, statistics, ModelSignals.NONE, clock);
    }

    List<String> auditActions(String endpoint) {
        return audit.latest("endpoint/" + endpoint, 1000).stream().map(AuditEvent::action).toList();
    }

    List<AuditEvent> auditEvents(String endpoint) {
        return audit.latest("endpoint/" + endpoint, 1000);
    }

    @Override
    public void close() {
        audit.close();
    }
}
