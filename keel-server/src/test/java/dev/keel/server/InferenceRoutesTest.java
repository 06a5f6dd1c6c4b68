package dev.keel.server;

import dev.keel.api.Tag;
import dev.keel.api.registry.NewRegisteredModel;
import dev.keel.api.serving.ModelReference;
import dev.keel.api.serving.NewEndpoint;
import dev.keel.api.serving.Single;
import dev.keel.api.serving.Variant;
import dev.keel.core.Actor;
import dev.keel.registry.TrainedModel;
import dev.keel.server.inference.InferenceLimits;
import dev.keel.server.inference.InferenceRoutes;
import dev.keel.serving.InputBinder;
import dev.keel.serving.batching.BatchingOptions;
import dev.keel.serving.runtime.Tensor;
import dev.keel.server.contract.Deployment;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Inference over HTTP on a real server: OIP V2, MLflow's /invocations, Keel's predict, /metrics, and bad input. */
class InferenceRoutesTest {
    private static final Actor ALICE = new Actor("alice");
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    private static TestServer server;
    private static float[] expected;

    @BeforeAll
    static void start() throws IOException {
        server = TestServer.start();
        Path model = Files.createDirectories(dir.resolve("model"));
        Files.write(model.resolve("model.onnx"), TrainedModel.onnx());
        server.platform.registry().createRegisteredModel(ALICE, NewRegisteredModel.named("credit"));
        server.platform.registry().createModelVersionFromDirectory(ALICE, "credit", model, null, List.of());
        server.platform.serving().endpoints().createEndpoint(ALICE, new NewEndpoint("scoring",
                List.of(Variant.of("main", "models:/credit/1")), new Single("main"), null));
        expected = server.platform.serving().inference().predict(new ModelReference.ByVersion("credit", 1),
                InputBinder.of(List.of(Tensor.fp32("input", new long[] {2, 3}, 0.9f, 0.1f, 0.5f, 0.1f, 0.9f, 0.2f))),
                List.of()).outputs().get(0).floats();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode body(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> post(String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri(path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return Deployment.send(request.build());
    }

    private static final String INFER = """
            {"id": "req-7", "inputs": [{"name": "input", "shape": [2, 3], "datatype": "FP32",
             "data": [[0.9, 0.1, 0.5], [0.1, 0.9, 0.2]]}]}""";

    @Test
    void oipInferThroughTheEndpointEchoesTheIdAndNamesWhatAnswered() throws IOException {
        HttpResponse<String> response = post("/v2/models/scoring/infer", INFER, "X-Request-Id", "trace-1");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue(InferenceRoutes.VARIANT_HEADER)).hasValue("main");
        assertThat(response.headers().firstValue(InferenceRoutes.MODEL_VERSION_HEADER)).hasValue("credit/1");
        assertThat(response.headers().firstValue(InferenceRoutes.REQUEST_ID_HEADER)).hasValue("trace-1");
        JsonNode answer = body(response);
        assertThat(answer.get("model_name").asText()).isEqualTo("scoring");
        assertThat(answer.get("model_version").asText()).isEqualTo("1");
        assertThat(answer.get("id").asText()).isEqualTo("req-7");
        JsonNode output = answer.get("outputs").get(0);
        assertThat(output.get("shape").toString()).isEqualTo("[2," + (expected.length / 2) + "]");
        for (int i = 0; i < expected.length; i++) {
            assertThat(output.get("data").get(i).floatValue()).isEqualTo(expected[i]);
        }
        HttpResponse<String> direct = post("/v2/models/credit/versions/1/infer", INFER);
        assertThat(body(direct).get("outputs")).isEqualTo(answer.get("outputs"));
    }

    @Test
    void describesTheProtocolAndTheModel() throws IOException {
        assertThat(server.get("/v2/health/live").statusCode()).isEqualTo(200);
        assertThat(server.get("/v2/health/ready").statusCode()).isEqualTo(200);
        assertThat(body(server.get("/v2")).get("name").asText()).isEqualTo("keel");
        JsonNode metadata = body(server.get("/v2/models/scoring"));
        assertThat(metadata.get("inputs").get(0).get("name").asText()).isEqualTo("input");
        assertThat(metadata.get("inputs").get(0).get("datatype").asText()).isEqualTo("FP32");
        assertThat(metadata.get("inputs").get(0).get("shape").toString()).isEqualTo("[-1,3]");
        assertThat(server.get("/v2/models/scoring/ready").statusCode()).isEqualTo(200);
        assertThat(server.get("/v2/models/credit/versions/1/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void mlflowScoringFormatsAndFeatureRecordsGiveTheSameAnswer() throws IOException {
        String[] bodies = {
                "{\"dataframe_split\": {\"columns\": [\"income\", \"debt\", \"tenure\"], \"data\": [[0.9, 0.1, 0.5], [0.1, 0.9, 0.2]]}}",
                "{\"dataframe_records\": [{\"income\": 0.9, \"debt\": 0.1, \"tenure\": 0.5}, {\"income\": 0.1, \"debt\": 0.9, \"tenure\": 0.2}]}",
                "{\"instances\": [[0.9, 0.1, 0.5], [0.1, 0.9, 0.2]]}",
                "{\"inputs\": {\"input\": [[0.9, 0.1, 0.5], [0.1, 0.9, 0.2]]}}"};
        int width = expected.length / 2;
        for (String request : bodies) {
            HttpResponse<String> response = post("/endpoints/scoring/invocations", request);
            assertThat(response.statusCode()).as(request).isEqualTo(200);
            JsonNode predictions = body(response).get("predictions");
            assertThat(predictions.size()).isEqualTo(2);
            assertThat(predictions.get(1).get(width - 1).floatValue()).isEqualTo(expected[2 * width - 1]);
        }
        HttpResponse<String> records = post("/api/v1/endpoints/scoring/predict",
                "{\"records\": [{\"income\": 0.9, \"debt\": 0.1, \"tenure\": 0.5}]}");
        assertThat(records.statusCode()).isEqualTo(200);
        assertThat(body(records).get("predictions").get(0).get(0).floatValue()).isEqualTo(expected[0]);
    }

    @Test
    void badInputIsA4xxNamingWhatIsWrongAndCountsNoError() throws IOException {
        String[][] cases = {
                {"/v2/models/scoring/infer", "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 2], \"datatype\": \"FP32\", \"data\": [1, 2]}]}", "400", "input"},
                {"/v2/models/scoring/infer", "{\"inputs\": [{\"name\": \"features\", \"shape\": [1, 3], \"datatype\": \"FP32\", \"data\": [1, 2, 3]}]}", "400", "features"},
                {"/v2/models/scoring/infer", "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 3], \"datatype\": \"FP64\", \"data\": [1, 2, 3]}]}", "400", "FP"},
                {"/v2/models/scoring/infer", "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 3], \"datatype\": \"FP32\", \"data\": [1, \"NaN\", 3]}]}", "400", "input"},
                {"/v2/models/scoring/infer", "{\"inputs\": [", "400", "JSON"},
                {"/v2/models/nowhere/infer", INFER, "404", "nowhere"},
                {"/v2/models/credit/versions/9/infer", INFER, "404", "9"},
                {"/v2/models/credit/versions/x/infer", INFER, "400", "version"},
                {"/endpoints/scoring/invocations", "{\"dataframe_split\": {\"columns\": [\"a\"], \"data\": [[1]]}}", "400", "3 columns"},
                {"/api/v1/endpoints/scoring/predict", "{\"rows\": []}", "400", "records"},
        };
        for (String[] c : cases) {
            HttpResponse<String> response = post(c[0], c[1]);
            assertThat(response.statusCode()).as(c[0] + " " + c[1]).isEqualTo(Integer.parseInt(c[2]));
            assertThat(response.body()).as(c[1]).contains(c[3]);
        }
        // the client's mistakes are not the variant's errors: rollout analysis must not see them
        var main = server.platform.serving().statistics().totals("scoring").get("main");
        assertThat(main == null ? 0 : main.errors()).isZero();
        assertThat(server.get("/metrics").body()).doesNotContain("outcome=\"error\"} 1");
    }

    @Test
    void aVersionWithABadBatchingTagIsA400NamingTheTagAndNeverCountsAsAnError() throws IOException {
        Path model = Files.createDirectories(dir.resolve("tagged-model"));
        Files.write(model.resolve("model.onnx"), TrainedModel.onnx());
        server.platform.registry().createRegisteredModel(ALICE, NewRegisteredModel.named("badly-tagged"));
        server.platform.registry().createModelVersionFromDirectory(ALICE, "badly-tagged", model, null,
                List.of(new Tag(BatchingOptions.SIZE_TAG, "lots")));
        server.platform.serving().endpoints().createEndpoint(ALICE, new NewEndpoint("badly-tagged-scoring",
                List.of(Variant.of("main", "models:/badly-tagged/1")), new Single("main"), null));

        for (String path : List.of("/v2/models/badly-tagged/versions/1/infer", "/v2/models/badly-tagged-scoring/infer")) {
            HttpResponse<String> response = post(path, INFER);
            assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(400);
            assertThat(response.body()).as(path).contains("'" + BatchingOptions.SIZE_TAG + "'").contains("'lots'");
        }
        HttpResponse<String> ready = server.get("/v2/models/badly-tagged/versions/1/ready");
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(400);
        // refused as the version's setting, not failed by the model: rollout analysis must not see an error
        var main = server.platform.serving().statistics().totals("badly-tagged-scoring").get("main");
        assertThat(main == null ? 0 : main.errors()).isZero();
    }

    @Test
    void oversizedRequestsAre413BeforeTheyCostMemory() {
        try (TestServer small = TestServer.start(ServerOptions.defaults().withInferenceLimits(new InferenceLimits(2_000, 50, 5)))) {
            String[][] cases = {
                    {"/v2/models/scoring/infer", "{\"inputs\": [], \"parameters\": {\"pad\": \"" + "x".repeat(2_000) + "\"}}", "bytes"},
                    {"/v2/models/scoring/infer", "{\"inputs\": [{\"name\": \"input\", \"shape\": [51], \"datatype\": \"FP32\", \"data\": ["
                            + "1,".repeat(50) + "1]}]}", "50 values"},
                    {"/endpoints/scoring/invocations", "{\"instances\": [" + "[1],".repeat(5) + "[1]]}", "at most 5"},
            };
            for (String[] c : cases) {
                HttpResponse<String> response = Deployment.send(HttpRequest.newBuilder(small.uri(c[0]))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(c[1])).build());
                assertThat(response.statusCode()).as(c[1]).isEqualTo(413);
                assertThat(response.body()).contains(c[2]);
            }
        }
    }

    @Test
    void metricsCountRequestsPerEndpointAndVariant() {
        post("/v2/models/scoring/infer", INFER);
        String metrics = server.get("/metrics").body();
        assertThat(metrics).contains("keel_inference_requests_total{endpoint=\"scoring\"", "variant=\"main\"");
        assertThat(metrics).contains("keel_inference_latency_seconds_bucket{endpoint=\"scoring\"");
        assertThat(metrics).contains("keel_models_loaded", "keel_model_load_seconds", "jvm_memory_used_bytes");
    }
}
