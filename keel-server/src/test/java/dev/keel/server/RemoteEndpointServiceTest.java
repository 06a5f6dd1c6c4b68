package dev.keel.server;

import dev.keel.api.serving.AbTest;
import dev.keel.api.serving.BlueGreen;
import dev.keel.api.serving.CanaryAnalysis;
import dev.keel.api.serving.CanaryStart;
import dev.keel.api.serving.ComparedMetric;
import dev.keel.api.serving.Endpoint;
import dev.keel.api.serving.EndpointService;
import dev.keel.api.serving.Guardrails;
import dev.keel.api.serving.NewEndpoint;
import dev.keel.api.serving.PolicyUpdate;
import dev.keel.api.serving.Rollout;
import dev.keel.api.serving.RolloutStatus;
import dev.keel.api.serving.Shadow;
import dev.keel.api.serving.SignalGuardrail;
import dev.keel.api.serving.Single;
import dev.keel.api.serving.Variant;
import dev.keel.client.KeelClient;
import dev.keel.core.Actor;
import dev.keel.core.ErrorCode;
import dev.keel.core.Ids;
import dev.keel.core.KeelException;
import dev.keel.serving.endpoint.Route;
import dev.keel.store.LocalArtifactStore;
import dev.keel.store.TestDatabases;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The SDK's {@code EndpointService} against a live server: every method answers what the
 * embedded service behind it answers, value for value, errors with the same code. The server's
 * clock is one the test moves, so a rollback happens at a known time.
 */
class RemoteEndpointServiceTest {
    private static final Actor ME = Actor.LOCAL;
    private static final Variant BLUE = Variant.of("blue", "models:/credit/1");
    private static final Variant GREEN = Variant.of("green", "models:/credit/2");
    private static final CanaryAnalysis ANALYSIS = new CanaryAnalysis(Duration.ofMinutes(1), 100, 3,
            new Guardrails(5.0, Duration.ofMillis(200), List.of(new SignalGuardrail("accuracy",
                    SignalGuardrail.Bound.AT_LEAST, 0.5, 10))));

    @TempDir
    static Path dir;
    private static final MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private static TestDatabases.TestDatabase database;
    private static KeelPlatform platform;
    private static KeelServer server;
    private static EndpointService remote;
    private static EndpointService embedded;

    /** A clock that stands still until the test moves it. */
    static final class MovableClock extends Clock {
        private final AtomicReference<Instant> now;

        MovableClock(Instant start) {
            this.now = new AtomicReference<>(start);
        }

        void set(Instant instant) {
            now.set(instant);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }

    @BeforeAll
    static void start() {
        database = TestDatabases.open(TestDatabases.Kind.SQLITE, dir);
        platform = KeelPlatform.on(database.database(), new LocalArtifactStore(dir.resolve("artifacts")), clock,
                new Ids(new SplittableRandom(3)), PlatformOptions.defaults());
        server = KeelServer.start(platform, "127.0.0.1", 0);
        remote = KeelClient.connect(server.uri()).endpoints();
        embedded = platform.serving().endpoints();
    }

    @AfterAll
    static void stop() {
        server.close();
        platform.close();
        database.close();
    }

    private static void refused(ErrorCode code, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(KeelException.class)
                .satisfies(e -> assertThat(((KeelException) e).code()).as(e.getMessage()).isEqualTo(code));
    }

    @Test
    void endpoints_cross_the_wire_value_for_value() {
        Endpoint created = remote.createEndpoint(ME, new NewEndpoint("sdk-life", List.of(BLUE, GREEN,
                Variant.of("dark", "models:/credit@champion")), new BlueGreen("blue", "green", Duration.ofMinutes(5)),
                new Shadow("dark", 7.5)));
        assertThat(created).isEqualTo(embedded.getEndpoint(ME, "sdk-life"));
        assertThat(remote.getEndpoint(ME, "sdk-life")).isEqualTo(created);
        assertThat(remote.listEndpoints(ME)).contains(created);

        clock.set(clock.instant().plusSeconds(30));
        Endpoint switched = remote.switchTo(ME, "sdk-life", "green");
        assertThat(switched).isEqualTo(embedded.getEndpoint(ME, "sdk-life"));
        assertThat(((BlueGreen) switched.policy()).lastSwitch()).isEqualTo(clock.instant());

        Endpoint unshadowed = remote.updateShadow(ME, "sdk-life", switched.version(), null);
        assertThat(unshadowed.shadow()).isNull();
        refused(ErrorCode.RESOURCE_CONFLICT, () -> remote.updateShadow(ME, "sdk-life", switched.version(),
                new Shadow("dark", 1)));
        Endpoint ab = remote.updatePolicy(ME, "sdk-life", new PolicyUpdate(unshadowed.version(), null,
                new AbTest(Map.of("blue", 25.0, "green", 75.0))));
        assertThat(ab).isEqualTo(embedded.getEndpoint(ME, "sdk-life"));
        refused(ErrorCode.RESOURCE_CONFLICT, () -> remote.updatePolicy(ME, "sdk-life", new PolicyUpdate(
                unshadowed.version(), null, new Single("blue"))));

        remote.deleteEndpoint(ME, "sdk-life");
        refused(ErrorCode.RESOURCE_DOES_NOT_EXIST, () -> remote.getEndpoint(ME, "sdk-life"));
        refused(ErrorCode.RESOURCE_DOES_NOT_EXIST, () -> remote.deleteEndpoint(ME, "sdk-life"));
    }

    @Test
    void a_rollout_is_driven_remotely_and_its_rollback_report_arrives_whole() {
        Instant start = Instant.parse("2026-02-01T00:00:00Z");
        clock.set(start);
        remote.createEndpoint(ME, new NewEndpoint("sdk-canary", List.of(BLUE), new Single("blue"), null));
        Rollout started = remote.startCanary(ME, "sdk-canary", new CanaryStart(GREEN, List.of(20.0, 50.0, 100.0), ANALYSIS));
        assertThat(started).isEqualTo(embedded.getRollout(ME, "sdk-canary"));
        assertThat(remote.pause(ME, "sdk-canary", "looking")).isEqualTo(embedded.getRollout(ME, "sdk-canary"));
        assertThat(remote.resume(ME, "sdk-canary").status()).isEqualTo(RolloutStatus.PROGRESSING);
        refused(ErrorCode.RESOURCE_CONFLICT, () -> remote.resume(ME, "sdk-canary"));

        // healthy for 10 seconds, then half the canary's requests fail: the controller rolls it back
        Instant resumed = clock.instant();
        Route route;
        for (int s = 0; s < 60 && embedded.getRollout(ME, "sdk-canary").status().active(); s++) {
            clock.set(resumed.plusSeconds(s));
            for (int i = 0; i < 200; i++) {
                route = platform.serving().router().route("sdk-canary", null);
                boolean canary = route.variant().name().equals("green");
                route.statistics().record(5_000_000L, canary && s >= 10 && i % 2 == 0);
            }
            clock.set(resumed.plusSeconds(s).plusMillis(500));
            platform.serving().rollouts().tick();
        }
        Rollout rolledBack = remote.getRollout(ME, "sdk-canary");
        assertThat(rolledBack.status()).isEqualTo(RolloutStatus.ROLLED_BACK);
        assertThat(rolledBack).isEqualTo(embedded.getRollout(ME, "sdk-canary"));
        assertThat(rolledBack.rollback().breaches()).extracting(c -> c.guardrail()).contains("error_rate");
        assertThat(rolledBack.rollback().breachToRollback()).isPositive();
        assertThat(remote.listRollouts(ME, "sdk-canary")).isEqualTo(embedded.listRollouts(ME, "sdk-canary"));
        assertThat(remote.getEndpoint(ME, "sdk-canary").policy()).isEqualTo(new Single("blue"));

        assertThat(remote.startCanary(ME, "sdk-canary", new CanaryStart(GREEN, List.of(50.0), ANALYSIS)).status())
                .isEqualTo(RolloutStatus.PROGRESSING);
        assertThat(remote.abort(ME, "sdk-canary", "not today").status()).isEqualTo(RolloutStatus.ABORTED);
        remote.startCanary(ME, "sdk-canary", new CanaryStart(GREEN, List.of(50.0), ANALYSIS));
        Rollout promoted = remote.promote(ME, "sdk-canary");
        assertThat(promoted.status()).isEqualTo(RolloutStatus.PROMOTED);
        assertThat(remote.listRollouts(ME, "sdk-canary")).extracting(Rollout::status)
                .containsExactly(RolloutStatus.PROMOTED, RolloutStatus.ABORTED, RolloutStatus.ROLLED_BACK);
    }

    @Test
    void totals_and_comparisons_match_the_embedded_service() {
        clock.set(Instant.parse("2026-03-01T00:00:00Z"));
        remote.createEndpoint(ME, new NewEndpoint("sdk-ab", List.of(BLUE, GREEN),
                new AbTest(Map.of("blue", 50.0, "green", 50.0)), null));
        for (int i = 0; i < 1_000; i++) {
            Route route = platform.serving().router().route("sdk-ab", "user-" + i);
            boolean green = route.variant().name().equals("green");
            route.statistics().record((green ? 20 : 10) * 1_000_000L + i * 1_000L, green && i % 4 == 0);
        }
        assertThat(remote.variantTotals(ME, "sdk-ab")).isEqualTo(embedded.variantTotals(ME, "sdk-ab"));
        for (ComparedMetric metric : List.of(ComparedMetric.ERROR_RATE, ComparedMetric.LATENCY)) {
            assertThat(remote.compareVariants(ME, "sdk-ab", "blue", "green", metric))
                    .isEqualTo(embedded.compareVariants(ME, "sdk-ab", "blue", "green", metric));
        }
        refused(ErrorCode.INVALID_PARAMETER_VALUE, () -> remote.compareVariants(ME, "sdk-ab", "blue", "green",
                ComparedMetric.signal("conversion")));
        refused(ErrorCode.RESOURCE_DOES_NOT_EXIST, () -> remote.variantTotals(ME, "sdk-none"));
    }
}
