package dev.keel.server;

import dev.keel.api.registry.NewRegisteredModel;
import dev.keel.api.serving.NewEndpoint;
import dev.keel.api.serving.Single;
import dev.keel.api.serving.Variant;
import dev.keel.core.Permission;
import dev.keel.core.Resource;
import dev.keel.core.Role;
import dev.keel.registry.TrainedModel;
import dev.keel.server.contract.Backend;
import dev.keel.server.contract.Deployment;
import dev.keel.server.contract.Deployment.Setup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With sign-in required, inference is using a model: USE on the endpoint's models to infer,
 * READ for metadata; and the endpoint routes follow the service's rules (a viewer looks but
 * cannot change).
 */
class InferenceAuthorizationTest {
    private static final String INFER = """
            {"inputs": [{"name": "input", "shape": [1, 3], "datatype": "FP32", "data": [0.9, 0.1, 0.5]}]}""";
    private static final String RECORDS = "{\"records\": [{\"income\": 0.9, \"debt\": 0.1, \"tenure\": 0.5}]}";
    @TempDir
    static Path dir;
    private static Deployment server;

    @BeforeAll
    static void start() throws IOException {
        server = Deployment.open(Backend.HTTP_SQLITE, Setup.signedIn(Map.of("alice", Role.MEMBER, "bob", Role.MEMBER,
                "vera", Role.VIEWER, "nina", Role.MEMBER)));
        Path model = Files.createDirectories(dir.resolve("model"));
        Files.write(model.resolve("model.onnx"), TrainedModel.onnx());
        var admin = Deployment.ADMIN;
        server.platform().registry().createRegisteredModel(admin, NewRegisteredModel.named("credit"));
        server.platform().registry().createModelVersionFromDirectory(admin, "credit", model, null, List.of());
        server.platform().access().grant(admin, Resource.model("credit"), "alice", Permission.USE);
        server.platform().access().grant(admin, Resource.model("credit"), "nina", Permission.NO_PERMISSIONS);
        server.platform().serving().endpoints().createEndpoint(admin, new NewEndpoint("scoring",
                List.of(Variant.of("main", "models:/credit/1")), new Single("main"), null));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void a_member_with_use_infers_and_one_without_is_refused_on_every_inference_route() {
        assertThat(server.send("alice", "POST", "/v2/models/scoring/infer", INFER).statusCode()).isEqualTo(200);
        assertThat(server.send("alice", "POST", "/v2/models/credit/versions/1/infer", INFER).statusCode()).isEqualTo(200);
        assertThat(server.send("alice", "POST", "/api/v1/endpoints/scoring/predict", RECORDS).statusCode()).isEqualTo(200);

        HttpResponse<String> refused = server.send("bob", "POST", "/v2/models/scoring/infer", INFER);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).startsWith("{\"error\"").contains("credit");
        assertThat(server.send("bob", "POST", "/v2/models/credit/versions/1/infer", INFER).statusCode()).isEqualTo(403);
        HttpResponse<String> predict = server.send("bob", "POST", "/api/v1/endpoints/scoring/predict", RECORDS);
        assertThat(predict.statusCode()).isEqualTo(403);
        assertThat(predict.body()).contains("PERMISSION_DENIED");
        assertThat(server.send("bob", "POST", "/endpoints/scoring/invocations",
                "{\"instances\": [[0.9, 0.1, 0.5]]}").statusCode()).isEqualTo(403);
        assertThat(server.send("vera", "POST", "/v2/models/scoring/infer", INFER).statusCode()).isEqualTo(403);
        assertThat(server.send(null, "POST", "/v2/models/scoring/infer", INFER).statusCode()).isEqualTo(401);

        // asked again, the cached refusal answers the same
        assertThat(server.send("bob", "POST", "/v2/models/scoring/infer", INFER).statusCode()).isEqualTo(403);
        assertThat(server.send("alice", "POST", "/v2/models/scoring/infer", INFER).statusCode()).isEqualTo(200);
        // an unknown endpoint is still a 404, not a 403
        assertThat(server.send("bob", "POST", "/v2/models/nowhere/infer", INFER).statusCode()).isEqualTo(404);
    }

    @Test
    void metadata_needs_read() {
        assertThat(server.send("bob", "GET", "/v2/models/scoring", null).statusCode()).isEqualTo(200);
        assertThat(server.send("vera", "GET", "/v2/models/scoring/ready", null).statusCode()).isEqualTo(200);
        assertThat(server.send("nina", "GET", "/v2/models/scoring", null).statusCode()).isEqualTo(403);
        assertThat(server.send("nina", "GET", "/v2/models/credit/versions/1/ready", null).statusCode()).isEqualTo(403);
        assertThat(server.send("nina", "POST", "/v2/models/scoring/infer", INFER).statusCode()).isEqualTo(403);
        assertThat(server.send("nina", "GET", "/v2/health/ready", null).statusCode()).isEqualTo(200);
    }

    @Test
    void a_viewer_reads_endpoints_but_cannot_change_them() {
        assertThat(server.send("vera", "GET", "/api/v1/endpoints/scoring", null).statusCode()).isEqualTo(200);
        HttpResponse<String> create = server.send("vera", "POST", "/api/v1/endpoints", "{\"name\": \"mine\", "
                + "\"variants\": [{\"name\": \"a\", \"model\": \"models:/credit/1\"}], \"policy\": {\"kind\": \"single\", \"variant\": \"a\"}}");
        assertThat(create.statusCode()).as(create.body()).isEqualTo(403);
        assertThat(server.send("vera", "PUT", "/api/v1/endpoints/scoring/policy", "{\"expected_version\": 1, "
                + "\"policy\": {\"kind\": \"single\", \"variant\": \"main\"}}").statusCode()).isEqualTo(403);
        assertThat(server.send("vera", "DELETE", "/api/v1/endpoints/scoring", null).statusCode()).isEqualTo(403);
        assertThat(server.send("nina", "GET", "/api/v1/endpoints/scoring", null).statusCode()).isEqualTo(403);
        assertThat(server.send("nina", "GET", "/api/v1/endpoints", null).body()).doesNotContain("scoring");
        assertThat(server.send("alice", "GET", "/api/v1/endpoints", null).body()).contains("scoring");
    }
}
