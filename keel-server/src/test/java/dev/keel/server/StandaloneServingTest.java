package dev.keel.server;

import dev.keel.api.Tag;
import dev.keel.api.registry.ModelVersion;
import dev.keel.api.registry.NewRegisteredModel;
import dev.keel.api.registry.RegistryService;
import dev.keel.api.serving.ModelReference;
import dev.keel.client.KeelClient;
import dev.keel.core.Actor;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import dev.keel.registry.Blobs;
import dev.keel.registry.TrainedModel;
import dev.keel.server.inference.InferenceRoutes;
import dev.keel.serving.batching.BatchingOptions;
import dev.keel.serving.runtime.ModelKey;
import dev.keel.serving.runtime.RuntimeOptions;
import dev.keel.server.contract.Deployment;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The standalone serving process ({@code keel serve}) on a real port: a version fetched over HTTP
 * from a real Keel server (digests verified by the same loader the server uses), a local
 * directory, an alias, a tampered or unknown model refused at start, and nothing but the
 * inference routes, /health and /metrics.
 */
class StandaloneServingTest {
    private static final Actor ALICE = new Actor("alice");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INFER = """
            {"id": "r1", "inputs": [{"name": "input", "shape": [3, 3], "datatype": "FP32",
             "data": [0.9, 0.1, 0.5, 0.1, 0.9, 0.2, 0.4, 0.4, 0.9]}]}""";
    @TempDir
    static Path dir;
    private static TestServer full;
    private static RegistryService remote;

    @BeforeAll
    static void start() throws IOException {
        full = TestServer.start();
        Path model = Files.createDirectories(dir.resolve("credit-model"));
        Files.write(model.resolve("model.onnx"), TrainedModel.onnx());
        RegistryService registry = full.platform.registry();
        registry.createRegisteredModel(ALICE, NewRegisteredModel.named("credit"));
        registry.createModelVersionFromDirectory(ALICE, "credit", model, null, List.of());
        registry.createModelVersionFromDirectory(ALICE, "credit", model, null, List.of());
        registry.setAlias(ALICE, "credit", "champion", 2);
        remote = KeelClient.connect(full.server.uri()).registry();
    }

    @AfterAll
    static void stop() {
        full.close();
    }

    /** A standalone server on a free port; closing it closes its serving parts. */
    private record Standalone(StandaloneServing serving, KeelServer server) implements AutoCloseable {
        static Standalone of(StandaloneServing serving) {
            return new Standalone(serving, KeelServer.serving(serving, "127.0.0.1", 0, ServerOptions.defaults()));
        }

        HttpResponse<String> get(String path) {
            return Deployment.send(HttpRequest.newBuilder(URI.create(server.uri() + path)).GET().build());
        }

        HttpResponse<String> post(String path, String body) {
            return Deployment.send(HttpRequest.newBuilder(URI.create(server.uri() + path))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build());
        }

        @Override
        public void close() {
            try {
                server.close();
            } finally {
                serving.close();
            }
        }
    }

    private static StandaloneServing fromRemote(String uri, String name, StandaloneOptions options) throws IOException {
        return StandaloneServing.fromRegistry(remote, Actor.LOCAL, Files.createTempDirectory(dir, "cache"),
                ModelReference.parse("model", uri), name, options);
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    private static JsonNode fullServerOutputs() throws IOException {
        HttpResponse<String> response = full.json("POST", "/v2/models/credit/versions/1/infer", INFER);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response).get("outputs");
    }

    @Test
    void a_version_fetched_from_a_keel_server_answers_as_the_full_server_does_under_its_registered_name()
            throws IOException {
        try (Standalone standalone = Standalone.of(fromRemote("models:/credit/1", null, StandaloneOptions.defaults()))) {
            assertThat(standalone.serving().served()).isEqualTo(new ModelKey("credit", 1));
            ModelVersion version = full.platform.registry().getModelVersion(ALICE, "credit", 1);
            assertThat(standalone.serving().verifiedFiles()).isEqualTo(version.manifest().files());

            HttpResponse<String> response = standalone.post("/v2/models/credit/infer", INFER);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.headers().firstValue(InferenceRoutes.MODEL_VERSION_HEADER)).hasValue("credit/1");
            JsonNode answer = json(response);
            assertThat(answer.get("model_name").asText()).isEqualTo("credit");
            assertThat(answer.get("id").asText()).isEqualTo("r1");
            assertThat(answer.get("outputs")).isEqualTo(fullServerOutputs());

            assertThat(standalone.post("/v2/models/credit/versions/1/infer", INFER).statusCode()).isEqualTo(200);
            JsonNode metadata = json(standalone.get("/v2/models/credit"));
            assertThat(metadata.get("name").asText()).isEqualTo("credit");
            assertThat(metadata.get("versions").get(0).asText()).isEqualTo("1");
            assertThat(standalone.get("/v2/models/credit/ready").statusCode()).isEqualTo(200);
            assertThat(standalone.get("/v2/health/ready").statusCode()).isEqualTo(200);
            assertThat(standalone.get("/health").body()).isEqualTo("OK");

            HttpResponse<String> invocations = standalone.post("/invocations",
                    "{\"instances\": [[0.9, 0.1, 0.5], [0.1, 0.9, 0.2]]}");
            assertThat(invocations.statusCode()).as(invocations.body()).isEqualTo(200);
            HttpResponse<String> predict = standalone.post("/api/v1/endpoints/credit/predict",
                    "{\"records\": [{\"income\": 0.9, \"debt\": 0.1, \"tenure\": 0.5}]}");
            assertThat(predict.statusCode()).as(predict.body()).isEqualTo(200);
            assertThat(json(predict).get("predictions").get(0))
                    .isEqualTo(json(invocations).get("predictions").get(0));

            HttpResponse<String> metrics = standalone.get("/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("keel_inference_requests").contains("keel_models_loaded 1.0");
        }
    }

    @Test
    void only_the_inference_routes_are_served_and_only_for_the_served_version() throws IOException {
        try (Standalone standalone = Standalone.of(fromRemote("models:/credit/1", null, StandaloneOptions.defaults()))) {
            assertThat(standalone.get("/api/v1/experiments/search").statusCode()).isEqualTo(404);
            assertThat(standalone.get("/api/2.0/mlflow/registered-models/search").statusCode()).isEqualTo(404);
            assertThat(standalone.get("/api/v1/endpoints").statusCode()).isEqualTo(404);
            assertThat(standalone.get("/api/docs").statusCode()).isEqualTo(404);

            HttpResponse<String> otherVersion = standalone.post("/v2/models/credit/versions/2/infer", INFER);
            assertThat(otherVersion.statusCode()).isEqualTo(404);
            assertThat(json(otherVersion).get("error").asText()).contains("serves only model 'credit' version 1");
            assertThat(standalone.get("/v2/models/other/versions/1").statusCode()).isEqualTo(404);
            HttpResponse<String> otherModel = standalone.post("/v2/models/other/infer", INFER);
            assertThat(otherModel.statusCode()).isEqualTo(404);
            assertThat(json(otherModel).get("error").asText()).contains("'other'");
            HttpResponse<String> malformed = standalone.post("/v2/models/credit/infer", "{\"inputs\": [{\"name\": 1");
            assertThat(malformed.statusCode()).isEqualTo(400);
        }
    }

    @Test
    void an_alias_is_resolved_and_a_name_can_be_given() throws IOException {
        try (Standalone standalone = Standalone.of(fromRemote("models:/credit@champion", "scoring",
                StandaloneOptions.defaults()))) {
            assertThat(standalone.serving().served()).isEqualTo(new ModelKey("credit", 2));
            HttpResponse<String> response = standalone.post("/v2/models/scoring/infer", INFER);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(json(response).get("model_name").asText()).isEqualTo("scoring");
            assertThat(response.headers().firstValue(InferenceRoutes.MODEL_VERSION_HEADER)).hasValue("credit/2");
            assertThat(json(response).get("outputs")).isEqualTo(fullServerOutputs());
        }
    }

    @Test
    void a_replica_follows_a_moved_alias_and_unloads_the_version_it_served() throws IOException {
        RegistryService registry = full.platform.registry();
        registry.setAlias(ALICE, "credit", "follow", 1);
        try (Standalone standalone = Standalone.of(fromRemote("models:/credit@follow", null,
                StandaloneOptions.defaults()))) {
            assertThat(standalone.serving().served()).isEqualTo(new ModelKey("credit", 1));
            registry.setAlias(ALICE, "credit", "follow", 2);
            // what the timer does every refresh period, called here so the test waits for no clock
            standalone.serving().followReference();
            assertThat(standalone.serving().served()).isEqualTo(new ModelKey("credit", 2));
            HttpResponse<String> response = standalone.post("/v2/models/credit/infer", INFER);
            assertThat(response.headers().firstValue(InferenceRoutes.MODEL_VERSION_HEADER)).hasValue("credit/2");
            assertThat(standalone.get("/metrics").body()).contains("keel_models_loaded 1.0")
                    .contains("keel_model_unloads_total{reason=\"unloaded\"} 1.0");
        }
    }

    @Test
    void a_local_directory_is_served_under_its_name() throws IOException {
        Path model = Files.createDirectories(dir.resolve("local").resolve("risk-model"));
        Files.write(model.resolve("model.onnx"), TrainedModel.onnx());
        try (Standalone standalone = Standalone.of(StandaloneServing.fromDirectory(model, null,
                StandaloneOptions.defaults()))) {
            assertThat(standalone.serving().name()).isEqualTo("risk-model");
            assertThat(standalone.serving().verifiedFiles()).isEmpty();
            HttpResponse<String> response = standalone.post("/v2/models/risk-model/infer", INFER);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(json(response).get("outputs")).isEqualTo(fullServerOutputs());
        }
    }

    @Test
    void micro_batching_gives_the_same_answers() throws IOException {
        StandaloneOptions batching = new StandaloneOptions(256L << 20, new RuntimeOptions(1),
                BatchingOptions.of(16, Duration.ofMillis(1)));
        try (Standalone standalone = Standalone.of(fromRemote("models:/credit/1", null, batching))) {
            HttpResponse<String> response = standalone.post("/v2/models/credit/infer", INFER);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(json(response).get("outputs")).isEqualTo(fullServerOutputs());
        }
    }

    @Test
    void the_served_versions_tags_read_over_http_override_keel_serves_flags_and_a_bad_one_fails_the_start()
            throws IOException {
        Path model = Files.createDirectories(dir.resolve("tagged-model"));
        Files.write(model.resolve("model.onnx"), TrainedModel.onnx());
        RegistryService registry = full.platform.registry();
        registry.createRegisteredModel(ALICE, NewRegisteredModel.named("tagged"));
        registry.createModelVersionFromDirectory(ALICE, "tagged", model, null,
                List.of(new Tag(BatchingOptions.SIZE_TAG, "4"), new Tag(BatchingOptions.DELAY_TAG, "500us")));
        registry.createModelVersionFromDirectory(ALICE, "tagged", model, null,
                List.of(new Tag(BatchingOptions.SIZE_TAG, "1")));
        registry.createModelVersionFromDirectory(ALICE, "tagged", model, null,
                List.of(new Tag(BatchingOptions.DELAY_TAG, "a while")));
        StandaloneOptions flagsOn = new StandaloneOptions(256L << 20, new RuntimeOptions(1),
                BatchingOptions.of(16, Duration.ofMillis(1)));

        try (Standalone on = Standalone.of(fromRemote("models:/tagged/1", null, StandaloneOptions.defaults()))) {
            assertThat(on.serving().inference().batching(new ModelKey("tagged", 1)))
                    .as("tags on, flags off").isEqualTo(BatchingOptions.of(4, Duration.ofNanos(500_000)));
            HttpResponse<String> response = on.post("/v2/models/tagged/infer", INFER);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(json(response).get("outputs")).isEqualTo(fullServerOutputs());
        }
        try (Standalone off = Standalone.of(fromRemote("models:/tagged/2", null, flagsOn))) {
            assertThat(off.serving().inference().batching(new ModelKey("tagged", 2)).enabled())
                    .as("tag 1, flags on").isFalse();
        }
        assertThatThrownBy(() -> fromRemote("models:/tagged/3", null, flagsOn))
                .isInstanceOfSatisfying(KeelException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE))
                .hasMessageContaining("'" + BatchingOptions.DELAY_TAG + "'").hasMessageContaining("'a while'");
    }

    @Test
    void a_tampered_model_fails_the_start_naming_the_file() throws IOException {
        Path model = Files.createDirectories(dir.resolve("tampered-model"));
        Files.write(model.resolve("model.tribuo"), TrainedModel.tribuo());
        RegistryService registry = full.platform.registry();
        registry.createRegisteredModel(ALICE, NewRegisteredModel.named("tampered"));
        ModelVersion version = registry.createModelVersionFromDirectory(ALICE, "tampered", model, null, List.of());
        Blobs.corrupt(full.deployment.artifacts(), version.manifest().file("model.tribuo").sha256());

        assertThatThrownBy(() -> fromRemote("models:/tampered/1", null, StandaloneOptions.defaults()))
                .isInstanceOfSatisfying(KeelException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_CONFLICT))
                .hasMessageContaining("'model.tribuo'");
    }

    @Test
    void an_unknown_model_or_version_fails_the_start_naming_it() {
        assertThatThrownBy(() -> fromRemote("models:/nobody/1", null, StandaloneOptions.defaults()))
                .isInstanceOfSatisfying(KeelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST))
                .hasMessageContaining("'nobody'");
        assertThatThrownBy(() -> fromRemote("models:/credit/9", null, StandaloneOptions.defaults()))
                .isInstanceOfSatisfying(KeelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST))
                .hasMessageContaining("9");
        assertThatThrownBy(() -> fromRemote("models:/credit@nobody", null, StandaloneOptions.defaults()))
                .isInstanceOf(KeelException.class).hasMessageContaining("'nobody'");
        assertThatThrownBy(() -> fromRemote("models:/credit/1", "bad name!", StandaloneOptions.defaults()))
                .isInstanceOf(KeelException.class).hasMessageContaining("--name");
    }
}
