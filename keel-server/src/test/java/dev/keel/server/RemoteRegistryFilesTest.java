package dev.keel.server;

import dev.keel.api.Tag;
import dev.keel.api.registry.ModelVersion;
import dev.keel.api.registry.ModelVersionSearch;
import dev.keel.api.registry.NewRegisteredModel;
import dev.keel.api.registry.RegistryService;
import dev.keel.client.KeelClient;
import dev.keel.core.Actor;
import dev.keel.core.KeelException;
import dev.keel.registry.TrainedModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What only the HTTP transport of the registry has to get right: a directory travels as a
 * streamed archive with its description and tags in the query, and a version's file comes
 * back streamed with its digest announced, checked by the SDK as it reads.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteRegistryFilesTest {
    private final Actor alice = new Actor("alice");
    private TestServer keel;
    private RegistryService remote;

    @BeforeAll
    void start() {
        keel = TestServer.start(ServerOptions.defaults().withActor(alice));
        remote = KeelClient.connect(keel.server.uri()).registry();
    }

    @AfterAll
    void stop() {
        if (keel != null) {
            keel.close();
        }
    }

    @Test
    void a_large_directory_goes_up_as_an_archive_and_its_files_come_back_whole(@TempDir Path dir) throws Exception {
        byte[] weights = new byte[24 * 1024 * 1024];
        new SplittableRandom(7).nextBytes(weights);
        Files.write(dir.resolve("model.onnx"), TrainedModel.onnx());
        Files.createDirectories(dir.resolve("data/nested"));
        Files.write(dir.resolve("data/nested/weights.bin"), weights);
        String name = "big-" + UUID.randomUUID().toString().substring(0, 8);
        remote.createRegisteredModel(alice, NewRegisteredModel.named(name));

        ModelVersion version = remote.createModelVersionFromDirectory(alice, name, dir, "weights & all = 100%",
                List.of(new Tag("team", "risk=yes&no"), new Tag("owner/unit", "crédit")));

        assertThat(version.description()).isEqualTo("weights & all = 100%");
        assertThat(version.tags()).containsExactlyInAnyOrder(new Tag("team", "risk=yes&no"), new Tag("owner/unit", "crédit"));
        assertThat(version.manifest().file("data/nested/weights.bin").sha256()).isEqualTo(sha256(weights));
        assertThat(keel.platform.registry().getModelVersion(alice, name, version.version())).isEqualTo(version);
        try (InputStream in = remote.openVersionFile(alice, name, version.version(), "data/nested/weights.bin")) {
            assertThat(sha256(in.readAllBytes())).isEqualTo(sha256(weights));
        }
    }

    @Test
    void a_downloaded_file_announces_its_manifest_digest() {
        ModelVersion version = ModelsInRuns.registered(keel.platform, alice, "announced-" + UUID.randomUUID().toString().substring(0, 8));
        HttpResponse<String> response = keel.get("/api/v1/models/" + version.name() + "/versions/1/files/model.onnx");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Repr-Digest")).hasValue("sha-256=:" + java.util.Base64.getEncoder()
                .encodeToString(HexFormat.of().parseHex(version.manifest().file("model.onnx").sha256())) + ":");
    }

    @Test
    void description_and_tags_too_long_for_a_request_line_are_refused_before_uploading(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("model.onnx"), TrainedModel.onnx());
        String name = "wordy-" + UUID.randomUUID().toString().substring(0, 8);
        remote.createRegisteredModel(alice, NewRegisteredModel.named(name));

        assertThatThrownBy(() -> remote.createModelVersionFromDirectory(alice, name, dir, "é".repeat(2000), List.of()))
                .isInstanceOf(KeelException.class).hasMessageContaining("'description'").hasMessageContaining("updateModelVersion");
        assertThat(remote.searchModelVersions(alice, ModelVersionSearch.filter("name = '" + name + "'")).items()).isEmpty();
    }

    private static String sha256(byte[] bytes) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IOException(e);
        }
    }
}
