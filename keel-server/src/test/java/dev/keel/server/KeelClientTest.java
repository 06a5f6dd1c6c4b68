package dev.keel.server;

import dev.keel.api.Tag;
import dev.keel.api.tracking.ArtifactEntry;
import dev.keel.api.tracking.Experiment;
import dev.keel.api.tracking.Metric;
import dev.keel.api.tracking.NewExperiment;
import dev.keel.api.tracking.NewRun;
import dev.keel.api.tracking.TrackingService;
import dev.keel.client.KeelClient;
import dev.keel.core.Actor;
import dev.keel.core.ArtifactPath;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What only the SDK over HTTP shows: names that need encoding, streaming, an unreachable server. */
class KeelClientTest {
    static TestServer keel;
    static TrackingService remote;
    final Actor actor = Actor.LOCAL;

    @BeforeAll
    static void start() {
        keel = TestServer.start();
        remote = keel.remote();
    }

    @AfterAll
    static void stop() {
        keel.close();
    }

    @Test
    void names_keys_and_paths_that_need_encoding_arrive_unchanged() {
        String name = "team/exp ?#%+ü &x=1 ..";
        Experiment experiment = remote.createExperiment(actor, NewExperiment.named(name));
        assertThat(remote.getExperimentByName(actor, name)).isEqualTo(experiment);

        String runId = remote.createRun(actor, NewRun.in(experiment.experimentId())).info().runId();
        List<String> keys = List.of("a/b c", "x.y-z_1", "with space.and.dots", "ends-with/", "deep/er/key", "..x/y");
        for (String key : keys) {
            remote.setTag(actor, runId, new Tag(key, "v " + key));
            remote.logMetric(actor, runId, new Metric(key, 1.5, 10, 1));
            assertThat(remote.getMetricHistory(actor, runId, key, 0, null).items()).containsExactly(new Metric(key, 1.5, 10, 1));
        }
        assertThat(remote.getRun(actor, runId).data().tags()).extracting(Tag::key).containsAll(keys);
        remote.deleteTag(actor, runId, "deep/er/key");
        assertThat(remote.getRun(actor, runId).data().tags()).extracting(Tag::key).doesNotContain("deep/er/key").contains("a/b c");

        remote.setExperimentTag(actor, experiment.experimentId(), new Tag("owner/team", "ml"));
        assertThat(remote.getExperiment(actor, experiment.experimentId()).tags()).contains(new Tag("owner/team", "ml"));
    }

    @Test
    void nan_and_infinities_survive_the_trip() {
        String runId = remote.createRun(actor, NewRun.in("0")).info().runId();
        remote.logMetric(actor, runId, new Metric("nan", Double.NaN, 1, 0));
        remote.logMetric(actor, runId, new Metric("inf", Double.POSITIVE_INFINITY, 1, 0));
        remote.logMetric(actor, runId, new Metric("ninf", Double.NEGATIVE_INFINITY, 1, 0));

        assertThat(remote.getRun(actor, runId).data().metrics()).containsExactlyInAnyOrder(
                new Metric("nan", Double.NaN, 1, 0), new Metric("inf", Double.POSITIVE_INFINITY, 1, 0),
                new Metric("ninf", Double.NEGATIVE_INFINITY, 1, 0));
        assertThat(remote.getMetricHistory(actor, runId, "nan", 0, null).items().get(0).value()).isNaN();
    }

    @Test
    void a_large_artifact_streams_both_ways_under_an_awkward_path() throws Exception {
        String runId = remote.createRun(actor, NewRun.in("0")).info().runId();
        long size = 48L * 1024 * 1024 + 7;
        ArtifactPath path = ArtifactPath.of("model dir/weights+v1 ü.bin");
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        remote.logArtifact(actor, runId, path, new DigestInputStream(new GeneratedBytes(size, 3), sent));

        MessageDigest received = MessageDigest.getInstance("SHA-256");
        long count;
        try (InputStream in = new DigestInputStream(remote.openArtifact(actor, runId, path), received)) {
            count = in.transferTo(OutputStream.nullOutputStream());
        }
        assertThat(count).isEqualTo(size);
        assertThat(HexFormat.of().formatHex(received.digest())).isEqualTo(HexFormat.of().formatHex(sent.digest()));
        assertThat(remote.listArtifacts(actor, runId, ArtifactPath.of("model dir")))
                .containsExactly(new ArtifactEntry("model dir/weights+v1 ü.bin", false, size));
        assertThatThrownBy(() -> remote.openArtifact(actor, runId, ArtifactPath.of("model dir/missing")))
                .isInstanceOf(KeelException.class).satisfies(e -> assertThat(((KeelException) e).code())
                        .isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST));
    }

    @Test
    void the_servers_error_comes_back_with_its_code_and_message() {
        TrackingService embedded = keel.platform.tracking();
        String runId = remote.createRun(actor, NewRun.in("0")).info().runId();
        remote.logParam(actor, runId, new dev.keel.api.tracking.Param("lr", "0.01"));
        KeelException local = catchKeel(() -> embedded.logParam(actor, runId, new dev.keel.api.tracking.Param("lr", "0.02")));
        KeelException overHttp = catchKeel(() -> remote.logParam(actor, runId, new dev.keel.api.tracking.Param("lr", "0.02")));

        assertThat(overHttp.code()).isEqualTo(local.code());
        assertThat(overHttp.getMessage()).isEqualTo(local.getMessage());
    }

    @Test
    void an_unreachable_server_is_temporarily_unavailable() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        URI nowhere = URI.create("http://127.0.0.1:" + port);
        TrackingService tracking = KeelClient.connect(nowhere).tracking();

        KeelException failure = catchKeel(() -> tracking.getExperiment(actor, "0"));
        assertThat(failure.code()).isEqualTo(ErrorCode.TEMPORARILY_UNAVAILABLE);
        assertThat(failure.getMessage()).contains("cannot reach Keel at " + nowhere);
    }

    @Test
    void a_url_that_is_not_http_is_refused() {
        assertThatThrownBy(() -> KeelClient.connect(URI.create("ftp://example.org")))
                .isInstanceOf(KeelException.class).hasMessageContaining("http://");
    }

    private static KeelException catchKeel(Runnable call) {
        try {
            call.run();
        } catch (KeelException e) {
            return e;
        }
        throw new AssertionError("expected a KeelException");
    }

    /** Deterministic pseudo-random bytes of a given length, produced on the fly (never held in memory). */
    private static final class GeneratedBytes extends InputStream {
        private final Random random;
        private long left;

        GeneratedBytes(long size, long seed) {
            this.left = size;
            this.random = new Random(seed);
        }

        @Override
        public int read() {
            if (left == 0) {
                return -1;
            }
            left--;
            return random.nextInt(256);
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (left == 0) {
                return -1;
            }
            int n = (int) Math.min(length, left);
            byte[] chunk = new byte[n];
            random.nextBytes(chunk);
            System.arraycopy(chunk, 0, buffer, offset, n);
            left -= n;
            return n;
        }
    }
}
