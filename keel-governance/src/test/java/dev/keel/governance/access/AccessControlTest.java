package dev.keel.governance.access;

import dev.keel.api.access.Grant;
import dev.keel.api.access.IssuedToken;
import dev.keel.api.access.User;
import dev.keel.api.audit.AuditEvent;
import dev.keel.api.audit.Verification;
import dev.keel.core.Actor;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import dev.keel.core.Permission;
import dev.keel.core.Resource;
import dev.keel.core.Role;
import dev.keel.governance.audit.AuditTrail;
import dev.keel.governance.audit.CheckpointKey;
import dev.keel.store.SettableClock;
import dev.keel.store.TestDatabases;
import dev.keel.store.TestDatabases.Kind;
import dev.keel.store.TestDatabases.TestDatabase;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.keel.store.Failures.assertFails;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Users, tokens and grants on a real store, with the real audit trail, on SQLite and on
 * PostgreSQL (skipped without {@code KEEL_TEST_POSTGRES_URL}).
 */
@ParameterizedClass
@EnumSource(Kind.class)
class AccessControlTest {
    private final Actor admin = new Actor(AccessControl.ADMIN);
    private final Actor alice = new Actor("alice");
    private final Actor bob = new Actor("bob");
    private final Actor vera = new Actor("vera");
    private final Resource experiment = Resource.experiment("7");
    private final Resource model = Resource.model("churn");

    @Parameter
    Kind kind;
    @TempDir
    Path dir;

    private TestDatabase db;
    private AuditTrail audit;
    private AccessControl access;
    private final SettableClock clock = new SettableClock(Instant.ofEpochMilli(1_700_000_000_000L));

    @BeforeEach
    void open() {
        db = TestDatabases.open(kind, dir);
        audit = AuditTrail.open(db.database(), CheckpointKey.inMemory(), clock, 1000);
        access = AccessControl.open(db.database(), audit, clock, Permission.READ);
        access.bootstrap("admin-password", Duration.ofHours(1));
        access.createUser(admin, "alice", "alice-password", Role.MEMBER);
        access.createUser(admin, "bob", "bob-password", Role.MEMBER);
        access.createUser(admin, "vera", null, Role.VIEWER);
    }

    @AfterEach
    void close() {
        if (db != null) { // null when PostgreSQL was skipped
            db.close();
        }
    }

    @Test
    void only_an_admin_creates_and_lists_users() {
        assertThat(access.listUsers(admin)).extracting(User::name, User::role, User::hasPassword).containsExactly(
                org.assertj.core.groups.Tuple.tuple("admin", Role.ADMIN, true),
                org.assertj.core.groups.Tuple.tuple("alice", Role.MEMBER, true),
                org.assertj.core.groups.Tuple.tuple("bob", Role.MEMBER, true),
                org.assertj.core.groups.Tuple.tuple("vera", Role.VIEWER, false));
        assertDenied(() -> access.createUser(alice, "mallory", "mallory-password", Role.ADMIN), "only an admin");
        assertDenied(() -> access.listUsers(vera), "only an admin");
        assertThat(access.user("mallory")).isEmpty();
    }

    @Test
    void bad_users_are_refused_naming_the_field() {
        assertInvalid(() -> access.createUser(admin, "carol", "short", Role.MEMBER), "'password'");
        assertInvalid(() -> access.createUser(admin, "carol smith", "long-enough", Role.MEMBER), "'name'");
        assertInvalid(() -> access.createUser(admin, " ", "long-enough", Role.MEMBER), "'name'");
        assertInvalid(() -> Role.parse("role", "owner"), "'role'");
        assertThatThrownBy(() -> access.createUser(admin, "alice", "another-password", Role.MEMBER))
                .isInstanceOf(KeelException.class).hasMessageContaining("already exists")
                .extracting(e -> ((KeelException) e).code()).isEqualTo(ErrorCode.RESOURCE_ALREADY_EXISTS);
        assertThat(access.user("carol")).isEmpty();
    }

    @Test
    void a_password_is_kept_as_argon2id_and_signs_in_only_when_it_matches() throws Exception {
        assertThat(access.authenticatePassword("alice", "alice-password")).contains(alice);
        assertThat(access.authenticatePassword("alice", "bob-password")).isEmpty();
        assertThat(access.authenticatePassword("nobody", "alice-password")).isEmpty();
        assertThat(access.authenticatePassword("vera", "")).isEmpty();
        String stored = db.database().read(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT password_hash FROM access_users WHERE name = 'alice'");
                 ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getString(1);
            }
        });
        assertThat(stored).startsWith("$argon2id$").doesNotContain("alice-password");
    }

    @Test
    void a_token_is_shown_once_kept_as_its_sha256_and_signs_in_until_revoked() {
        IssuedToken issued = access.createToken(alice, null, "laptop", null);
        assertThat(issued.secret()).startsWith(AccessControl.TOKEN_PREFIX);
        // 256 random bits, base64url without padding
        assertThat(issued.secret().substring(AccessControl.TOKEN_PREFIX.length())).hasSize(43);
        assertThat(access.authenticateToken(issued.secret())).contains(alice);
        assertThat(access.authenticateToken(issued.secret() + "x")).isEmpty();
        String stored = db.database().read(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT secret_sha256 FROM access_tokens WHERE token_id = ?")) {
                select.setString(1, issued.token().tokenId());
                try (ResultSet rows = select.executeQuery()) {
                    rows.next();
                    return rows.getString(1);
                }
            }
        });
        assertThat(stored).isEqualTo(Accounts.sha256(issued.secret()));
        assertThat(access.listTokens(alice, null)).singleElement().satisfies(token -> {
            assertThat(token.description()).isEqualTo("laptop");
            assertThat(token.lastUsedAt()).isEqualTo(clock.millis());
        });

        assertDenied(() -> access.revokeToken(bob, issued.token().tokenId()), "only an admin");
        access.revokeToken(alice, issued.token().tokenId());
        assertThat(access.authenticateToken(issued.secret())).isEmpty();
        assertInvalid(() -> access.revokeToken(alice, issued.token().tokenId()), "already revoked");
    }

    @Test
    void a_token_signs_in_no_more_once_expired() {
        IssuedToken issued = access.createToken(admin, "bob", "ci", clock.millis() + 60_000);
        assertThat(access.authenticateToken(issued.secret())).contains(bob);
        clock.advance(Duration.ofMillis(60_000));
        assertThat(access.authenticateToken(issued.secret())).isEmpty();
        assertInvalid(() -> access.createToken(bob, null, "past", clock.millis() - 1), "'expires_at'");
        assertDenied(() -> access.createToken(bob, "alice", "theirs", null), "only an admin");
    }

    @Test
    void the_first_admin_comes_from_a_one_time_token_when_no_password_is_given() throws Exception {
        try (TestDatabase fresh = TestDatabases.open(kind, dir)) {
            AuditTrail trail = AuditTrail.open(fresh.database(), CheckpointKey.inMemory(), clock, 1000);
            AccessControl other = AccessControl.open(fresh.database(), trail, clock, Permission.READ);
            IssuedToken bootstrap = other.bootstrap(null, Duration.ofHours(24)).orElseThrow();
            assertThat(other.authenticateToken(bootstrap.secret())).contains(admin);
            assertThat(other.authenticatePassword("admin", "")).isEmpty();
            assertThat(other.bootstrap(null, Duration.ofHours(24))).isEmpty();
            clock.advance(Duration.ofHours(24));
            assertThat(other.authenticateToken(bootstrap.secret())).isEmpty();
        }
        assertThat(access.bootstrap("other-password", Duration.ofHours(1))).isEmpty();
        assertThat(access.authenticatePassword("admin", "admin-password")).contains(admin);
    }

    @Test
    void a_member_holds_the_default_permission_until_granted_more() {
        access.require(bob, Permission.READ, experiment);
        assertDenied(() -> access.require(bob, Permission.EDIT, experiment), "holds READ on experiment '7'; this needs EDIT");

        access.grant(admin, experiment, "bob", Permission.EDIT);
        access.require(bob, Permission.EDIT, experiment);
        assertDenied(() -> access.require(bob, Permission.MANAGE, experiment), "needs MANAGE");
        assertDenied(() -> access.require(bob, Permission.EDIT, Resource.experiment("8")), "needs EDIT");

        access.revoke(admin, experiment, "bob");
        assertDenied(() -> access.require(bob, Permission.EDIT, experiment), "needs EDIT");
    }

    @Test
    void a_grant_can_also_take_the_default_away() {
        access.grant(admin, model, "bob", Permission.NO_PERMISSIONS);
        assertDenied(() -> access.require(bob, Permission.READ, model), "holds NO_PERMISSIONS");
        access.require(alice, Permission.READ, model);
    }

    @Test
    void a_viewer_never_holds_more_than_read_nor_creates() {
        access.grant(admin, model, "vera", Permission.MANAGE);
        access.require(vera, Permission.READ, model);
        assertDenied(() -> access.require(vera, Permission.USE, model), "needs USE");
        assertDenied(() -> access.requireCreate(vera, Resource.Kind.EXPERIMENT), "viewer");
        access.requireCreate(alice, Resource.Kind.EXPERIMENT);
    }

    @Test
    void admins_pass_every_check_and_strangers_none() {
        access.require(admin, Permission.MANAGE, model);
        access.requireRole(admin, Role.APPROVER);
        assertDenied(() -> access.requireRole(alice, Role.APPROVER), "needs the approver role");
        assertDenied(() -> access.require(new Actor("stranger"), Permission.READ, model), "not a Keel user");
    }

    @Test
    void the_creator_manages_what_they_create_and_old_grants_do_not_carry_over() {
        access.grant(admin, model, "bob", Permission.EDIT);
        db.database().inTransaction(tx -> {
            access.grantCreator(tx, alice, model);
            return null;
        });
        access.require(alice, Permission.MANAGE, model);
        assertDenied(() -> access.require(bob, Permission.EDIT, model), "needs EDIT");

        access.grant(alice, model, "bob", Permission.USE);
        assertThat(access.grants(bob, model)).extracting(Grant::userName, Grant::permission).containsExactly(
                org.assertj.core.groups.Tuple.tuple("alice", Permission.MANAGE),
                org.assertj.core.groups.Tuple.tuple("bob", Permission.USE));
        assertDenied(() -> access.grant(bob, model, "bob", Permission.MANAGE), "needs MANAGE");
        assertThatThrownBy(() -> access.grant(alice, model, "nobody", Permission.READ))
                .isInstanceOf(KeelException.class).hasMessageContaining("user 'nobody' does not exist");

        Resource renamed = Resource.model("churn-v2");
        db.database().inTransaction(tx -> {
            access.moved(tx, model, renamed);
            return null;
        });
        access.require(alice, Permission.MANAGE, renamed);
        assertDenied(() -> access.require(alice, Permission.MANAGE, model), "needs MANAGE");
    }

    @Test
    void every_change_is_in_the_audit_trail() {
        IssuedToken token = access.createToken(alice, null, "laptop", null);
        access.revokeToken(admin, token.token().tokenId());
        access.grant(admin, experiment, "bob", Permission.EDIT);
        access.revoke(admin, experiment, "bob");
        List<String> actions = new ArrayList<>();
        audit.export(0, event -> actions.add(event.actor() + " " + event.action() + " " + event.resource()));
        assertThat(actions).containsExactly(
                "keel user.create user/admin",
                "admin user.create user/alice",
                "admin user.create user/bob",
                "admin user.create user/vera",
                "alice token.create user/alice/token/" + token.token().tokenId(),
                "admin token.revoke user/alice/token/" + token.token().tokenId(),
                "admin permission.grant experiment/7",
                "admin permission.revoke experiment/7");
        assertThat(audit.verify()).isInstanceOf(Verification.Intact.class);
        assertThat(audit.latest("user/alice", 10)).extracting(AuditEvent::action).contains("user.create");
    }

    private static void assertDenied(ThrowingCallable call, String message) {
        assertFails(call, ErrorCode.PERMISSION_DENIED, message);
    }

    private static void assertInvalid(ThrowingCallable call, String message) {
        assertFails(call, ErrorCode.INVALID_PARAMETER_VALUE, message);
    }
}
