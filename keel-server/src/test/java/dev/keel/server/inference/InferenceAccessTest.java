package dev.keel.server.inference;

import dev.keel.api.serving.NewEndpoint;
import dev.keel.api.serving.Single;
import dev.keel.api.serving.Variant;
import dev.keel.core.Actor;
import dev.keel.core.Authorizer;
import dev.keel.core.Permission;
import dev.keel.core.Resource;
import dev.keel.core.Role;
import dev.keel.core.Visibility;
import dev.keel.governance.access.AccessControl;
import dev.keel.server.KeelPlatform;
import dev.keel.server.contract.Backend;
import dev.keel.server.contract.Deployment;
import dev.keel.server.http.RequestActor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The inference permission cache over the real access control: decisions are reused until they expire, then asked again. */
class InferenceAccessTest {
    private static final Actor ADMIN = Deployment.ADMIN;
    private static final Actor BOB = new Actor("bob");
    private Deployment deployment;
    private KeelPlatform platform;
    private final AtomicInteger asked = new AtomicInteger();
    private final AtomicLong nanos = new AtomicLong(1_000);
    private InferenceAccess access;

    /** The real access control, counting how often it is asked. */
    private Authorizer counting(AccessControl real) {
        return new Authorizer() {
            @Override
            public void require(Actor actor, Permission permission, Resource resource) {
                asked.incrementAndGet();
                real.require(actor, permission, resource);
            }

            @Override
            public void requireCreate(Actor actor, Resource.Kind kind) {
                real.requireCreate(actor, kind);
            }

            @Override
            public void requireRole(Actor actor, Role role) {
                real.requireRole(actor, role);
            }

            @Override
            public Visibility visible(Actor actor, Resource.Kind kind) {
                return real.visible(actor, kind);
            }

            @Override
            public void grantCreator(Connection tx, Actor actor, Resource resource) throws SQLException {
                real.grantCreator(tx, actor, resource);
            }

            @Override
            public void moved(Connection tx, Resource from, Resource to) throws SQLException {
                real.moved(tx, from, to);
            }
        };
    }

    @BeforeEach
    void start() {
        deployment = Deployment.open(Backend.SQLITE, Deployment.Setup.signedIn(Map.of("bob", Role.MEMBER)));
        platform = deployment.platform();
        platform.serving().endpoints().createEndpoint(ADMIN, new NewEndpoint("scoring",
                List.of(Variant.of("a", "models:/credit/1"), Variant.of("b", "models:/fraud/1")), new Single("a"), null));
        access = new InferenceAccess(counting(platform.access()), platform.serving().router(),
                new RequestActor(platform.access()), null, nanos::get, Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        deployment.close();
    }

    @Test
    void a_decision_is_reused_until_it_expires_and_then_asked_again() {
        assertThat(access.decide(BOB, true, "scoring", Permission.USE)).contains("credit");
        int first = asked.get();
        assertThat(first).isEqualTo(1);
        for (int i = 0; i < 100; i++) {
            assertThat(access.decide(BOB, true, "scoring", Permission.USE)).isNotNull();
        }
        assertThat(asked.get()).as("refusals come from the cache").isEqualTo(first);

        platform.access().grant(ADMIN, Resource.model("credit"), "bob", Permission.USE);
        platform.access().grant(ADMIN, Resource.model("fraud"), "bob", Permission.USE);
        nanos.addAndGet(Duration.ofSeconds(4).toNanos());
        assertThat(access.decide(BOB, true, "scoring", Permission.USE)).as("still cached").isNotNull();
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(access.decide(BOB, true, "scoring", Permission.USE)).as("asked again: the grant counts").isNull();
        int afterGrant = asked.get();
        assertThat(afterGrant).as("both models asked").isEqualTo(first + 2);
        assertThat(access.decide(BOB, true, "scoring", Permission.USE)).isNull();
        assertThat(asked.get()).isEqualTo(afterGrant);

        // READ is its own decision; a model route decides on that model alone
        assertThat(access.decide(BOB, true, "scoring", Permission.READ)).isNull();
        assertThat(access.decide(BOB, false, "churn", Permission.USE)).contains("churn");
        assertThat(access.decide(BOB, true, "nowhere", Permission.USE)).as("unknown: left to the route's 404").isNull();
    }
}
