package dev.keel.governance.access;

import dev.keel.core.Actor;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import dev.keel.core.Permission;
import dev.keel.core.Resource;
import dev.keel.core.Role;
import dev.keel.core.Visibility;
import dev.keel.governance.audit.AuditTrail;
import dev.keel.governance.audit.CheckpointKey;
import dev.keel.store.TestDatabases;
import dev.keel.store.TestDatabases.Kind;
import dev.keel.store.TestDatabases.TestDatabase;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which resources a user may read, as searches ask it, agrees with the one-by-one check on both databases. */
class AccessVisibilityTest {
    private static final Actor ADMIN = new Actor(AccessControl.ADMIN);
    private static final Actor ALICE = new Actor("alice");
    private static final Actor VERA = new Actor("vera");

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Kind.class)
    void with_read_by_default_only_grants_below_read_are_withheld(Kind kind) {
        try (TestDatabase db = TestDatabases.open(kind, dir)) {
            AccessControl access = open(db, Permission.READ, true);
            assertThat(access.visible(ALICE, Resource.Kind.EXPERIMENT)).isEqualTo(Visibility.ALL);
            access.grant(ADMIN, Resource.experiment("7"), "alice", Permission.NO_PERMISSIONS);
            access.grant(ADMIN, Resource.experiment("8"), "alice", Permission.EDIT);
            access.grant(ADMIN, Resource.experiment("9"), "vera", Permission.NO_PERMISSIONS);
            access.grant(ADMIN, Resource.model("7"), "alice", Permission.NO_PERMISSIONS);
            access.grant(ADMIN, Resource.model("churn"), "alice", Permission.NO_PERMISSIONS);

            assertThat(access.visible(ALICE, Resource.Kind.EXPERIMENT)).isEqualTo(new Visibility.AllExcept(Set.of("7")));
            assertThat(access.visible(ALICE, Resource.Kind.REGISTERED_MODEL))
                    .isEqualTo(new Visibility.AllExcept(Set.of("7", "churn")));
            assertThat(access.visible(VERA, Resource.Kind.EXPERIMENT)).isEqualTo(new Visibility.AllExcept(Set.of("9")));
            access.grant(ADMIN, Resource.experiment("1"), "admin", Permission.NO_PERMISSIONS);
            assertThat(access.visible(ADMIN, Resource.Kind.EXPERIMENT)).isEqualTo(Visibility.ALL);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void with_nothing_by_default_only_grants_of_read_or_more_are_seen(Kind kind) {
        try (TestDatabase db = TestDatabases.open(kind, dir)) {
            AccessControl access = open(db, Permission.NO_PERMISSIONS, true);
            assertThat(access.visible(ALICE, Resource.Kind.EXPERIMENT)).isEqualTo(new Visibility.Only(Set.of()));
            access.grant(ADMIN, Resource.experiment("7"), "alice", Permission.READ);
            access.grant(ADMIN, Resource.experiment("8"), "alice", Permission.MANAGE);
            access.grant(ADMIN, Resource.experiment("9"), "alice", Permission.NO_PERMISSIONS);
            access.grant(ADMIN, Resource.model("churn"), "alice", Permission.USE);
            access.grant(ADMIN, Resource.experiment("10"), "vera", Permission.EDIT);

            assertThat(access.visible(ALICE, Resource.Kind.EXPERIMENT)).isEqualTo(new Visibility.Only(Set.of("7", "8")));
            assertThat(access.visible(ALICE, Resource.Kind.REGISTERED_MODEL)).isEqualTo(new Visibility.Only(Set.of("churn")));
            // a viewer is held to READ, which still reads
            assertThat(access.visible(VERA, Resource.Kind.EXPERIMENT)).isEqualTo(new Visibility.Only(Set.of("10")));
            assertThat(access.visible(ADMIN, Resource.Kind.REGISTERED_MODEL)).isEqualTo(Visibility.ALL);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void an_unknown_user_is_refused_unless_authentication_is_off(Kind kind) {
        try (TestDatabase db = TestDatabases.open(kind, dir)) {
            Actor stranger = new Actor("stranger");
            assertThatThrownBy(() -> open(db, Permission.READ, true).visible(stranger, Resource.Kind.EXPERIMENT))
                    .isInstanceOf(KeelException.class)
                    .satisfies(e -> assertThat(((KeelException) e).code()).isEqualTo(ErrorCode.PERMISSION_DENIED))
                    .hasMessageContaining("stranger");
            assertThat(open(db, Permission.NO_PERMISSIONS, false).visible(stranger, Resource.Kind.EXPERIMENT))
                    .isEqualTo(Visibility.ALL);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void visibility_agrees_with_the_read_check_for_every_user_and_resource(Kind kind) {
        try (TestDatabase db = TestDatabases.open(kind, dir)) {
            for (Permission byDefault : Permission.values()) {
                AccessControl access = open(db, byDefault, true);
                SplittableRandom random = new SplittableRandom(byDefault.ordinal());
                List<String> users = List.of("admin", "alice", "vera");
                for (int id = 0; id < 12; id++) {
                    for (String user : users) {
                        int pick = random.nextInt(Permission.values().length + 1);
                        if (pick < Permission.values().length) {
                            access.grant(ADMIN, Resource.experiment(byDefault + "-" + id), user, Permission.values()[pick]);
                        }
                    }
                }
                for (String user : users) {
                    Actor actor = new Actor(user);
                    Visibility visible = access.visible(actor, Resource.Kind.EXPERIMENT);
                    for (int id = 0; id < 12; id++) {
                        String resource = byDefault + "-" + id;
                        boolean reads = reads(access, actor, Resource.experiment(resource));
                        assertThat(visible.includes(resource)).as("%s on %s, default %s", user, resource, byDefault)
                                .isEqualTo(reads);
                    }
                }
            }
        }
    }

    private static boolean reads(AccessControl access, Actor actor, Resource resource) {
        try {
            access.require(actor, Permission.READ, resource);
            return true;
        } catch (KeelException denied) {
            return false;
        }
    }

    /** Users admin, alice (member) and vera (viewer); the tables are migrated once and shared by every opening. */
    private static AccessControl open(TestDatabase db, Permission byDefault, boolean enforced) {
        AuditTrail audit = AuditTrail.open(db.database(), CheckpointKey.inMemory(), Clock.systemUTC(), 1000);
        AccessControl access = AccessControl.open(db.database(), audit, Clock.systemUTC(), byDefault, enforced);
        access.bootstrap("admin-password", Duration.ofHours(1));
        if (access.user("alice").isEmpty()) {
            access.createUser(ADMIN, "alice", null, Role.MEMBER);
            access.createUser(ADMIN, "vera", null, Role.VIEWER);
        }
        return access;
    }
}
