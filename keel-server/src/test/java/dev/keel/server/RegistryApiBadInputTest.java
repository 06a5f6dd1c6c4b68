package dev.keel.server;

import dev.keel.api.registry.ModelVersion;
import dev.keel.api.registry.ModelVersionSearch;
import dev.keel.api.registry.Stage;
import dev.keel.core.Actor;
import dev.keel.registry.TrainedModel;
import dev.keel.server.contract.Deployment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static dev.keel.server.ErrorAnswers.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input on the registry's routes, native and MLflow's, over raw HTTP: each case is a 4xx
 * with the right code and a message naming what was wrong, and nothing is written.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistryApiBadInputTest {
    private static final String MLFLOW = "/api/2.0/mlflow/";
    private final Actor alice = new Actor("alice");
    private TestServer keel;
    private String name;

    @BeforeAll
    void start() {
        keel = TestServer.start(ServerOptions.defaults().withActor(alice));
        name = "credit-" + UUID.randomUUID().toString().substring(0, 8);
        ModelsInRuns.registered(keel.platform, alice, name);
    }

    @AfterAll
    void stop() {
        if (keel != null) {
            keel.close();
        }
    }

    private ModelVersion version1() {
        return keel.platform.registry().getModelVersion(alice, name, 1);
    }

    private long versionCount() {
        return keel.platform.registry().searchModelVersions(alice, ModelVersionSearch.filter("name = '" + name + "'"))
                .items().size();
    }

    @Test
    void malformed_json_is_a_bad_request_on_both_apis() throws IOException {
        assertError(keel.json("POST", "/api/v1/models", "{\"name\": \"x\","), 400, "BAD_REQUEST", "malformed JSON");
        assertError(keel.json("PATCH", "/api/v1/models/" + name, "{\"description\": 'single'}"), 400, "BAD_REQUEST", "malformed JSON");
        assertError(keel.json("POST", MLFLOW + "registered-models/create", "{\"name\": "), 400, "BAD_REQUEST", "malformed JSON");
        assertError(keel.json("DELETE", MLFLOW + "registered-models/delete", "{\"name\": \"" + name + "\""), 400,
                "BAD_REQUEST", "malformed JSON");
        assertError(keel.json("PATCH", MLFLOW + "model-versions/update", "not json"), 400, "BAD_REQUEST", "malformed JSON");
        assertThat(keel.platform.registry().getRegisteredModel(alice, name).name()).isEqualTo(name);
    }

    @Test
    void a_value_of_the_wrong_json_type_names_its_field() throws IOException {
        assertError(keel.json("POST", "/api/v1/models", "{\"name\": 5}"), 400, "INVALID_PARAMETER_VALUE", "'name'");
        assertError(keel.json("PUT", "/api/v1/models/" + name + "/aliases/champion", "{\"version\": \"one\"}"), 400,
                "INVALID_PARAMETER_VALUE", "'version'");
        assertError(keel.json("POST", MLFLOW + "registered-models/create", "{\"name\": {\"a\": 1}}"), 400,
                "INVALID_PARAMETER_VALUE", "'name'");
    }

    @Test
    void an_unknown_model_or_version_is_not_found_on_both_apis() throws IOException {
        assertError(keel.get("/api/v1/models/no-such-model"), 404, "RESOURCE_DOES_NOT_EXIST", "no-such-model");
        assertError(keel.get("/api/v1/models/" + name + "/versions/99"), 404, "RESOURCE_DOES_NOT_EXIST", "99");
        assertError(keel.get("/api/v1/models/" + name + "/versions/99/files/model.onnx"), 404, "RESOURCE_DOES_NOT_EXIST");
        assertError(keel.get("/api/v1/models/" + name + "/aliases/nobody"), 404, "RESOURCE_DOES_NOT_EXIST", "nobody");
        assertError(keel.get(MLFLOW + "registered-models/get?name=no-such-model"), 404, "RESOURCE_DOES_NOT_EXIST", "no-such-model");
        assertError(keel.get(MLFLOW + "model-versions/get?name=" + name + "&version=99"), 404, "RESOURCE_DOES_NOT_EXIST", "99");
        assertError(keel.json("DELETE", MLFLOW + "model-versions/delete", "{\"name\": \"" + name + "\", \"version\": \"99\"}"),
                404, "RESOURCE_DOES_NOT_EXIST");
        assertError(keel.get("/ajax-api/2.0/mlflow/model-versions/get-download-uri?name=no-such-model&version=1"), 404,
                "RESOURCE_DOES_NOT_EXIST");
    }

    @Test
    void a_version_that_is_not_a_positive_integer_is_refused_naming_it() throws IOException {
        assertError(keel.get("/api/v1/models/" + name + "/versions/one"), 400, "INVALID_PARAMETER_VALUE", "'version'", "one");
        assertError(keel.get("/api/v1/models/" + name + "/versions/0"), 400, "INVALID_PARAMETER_VALUE", "'version'");
        assertError(keel.get(MLFLOW + "model-versions/get?name=" + name + "&version=latest"), 400, "INVALID_PARAMETER_VALUE",
                "'version'", "latest");
        assertError(keel.get(MLFLOW + "model-versions/get?name=" + name), 400, "INVALID_PARAMETER_VALUE", "'version'");
    }

    @Test
    void an_unknown_stage_is_refused_naming_the_stages() throws IOException {
        assertError(keel.json("POST", "/api/v1/models/" + name + "/versions/1/stage", "{\"stage\": \"Live\"}"), 400,
                "INVALID_PARAMETER_VALUE", "Live", "Production");
        assertError(keel.json("POST", MLFLOW + "model-versions/transition-stage", "{\"name\": \"" + name
                + "\", \"version\": \"1\", \"stage\": \"Live\", \"archive_existing_versions\": false}"), 400,
                "INVALID_PARAMETER_VALUE", "Live", "Staging");
        assertError(keel.get(MLFLOW + "registered-models/get-latest-versions?name=" + name + "&stages=Live"), 400,
                "INVALID_PARAMETER_VALUE", "Live");
        assertError(keel.get("/api/v1/models/" + name + "/latest-versions?stage=Live"), 400, "INVALID_PARAMETER_VALUE", "Live");
        assertError(keel.json("POST", MLFLOW + "model-versions/transition-stage", "{\"name\": \"" + name
                + "\", \"version\": \"1\", \"stage\": \"Production\", \"archive_existing_versions\": \"maybe\"}"), 400,
                "INVALID_PARAMETER_VALUE", "'archive_existing_versions'");
        assertThat(version1().currentStage()).isEqualTo(Stage.NONE);
    }

    @Test
    void a_reserved_or_malformed_alias_is_refused() throws IOException {
        assertError(keel.json("PUT", "/api/v1/models/" + name + "/aliases/latest", "{\"version\": 1}"), 400,
                "INVALID_PARAMETER_VALUE", "latest", "reserved");
        assertError(keel.json("POST", MLFLOW + "registered-models/alias", "{\"name\": \"" + name
                + "\", \"alias\": \"v2\", \"version\": \"1\"}"), 400, "INVALID_PARAMETER_VALUE", "v2", "reserved");
        assertError(keel.json("POST", MLFLOW + "registered-models/alias", "{\"name\": \"" + name
                + "\", \"alias\": \"best model\", \"version\": \"1\"}"), 400, "INVALID_PARAMETER_VALUE", "best model");
        assertThat(version1().aliases()).isEmpty();
    }

    @Test
    void mlflow_requests_name_the_missing_field_and_want_json() throws IOException {
        assertError(keel.json("POST", MLFLOW + "registered-models/create", "{}"), 400, "INVALID_PARAMETER_VALUE", "'name'");
        assertError(keel.json("POST", MLFLOW + "model-versions/create", "{\"name\": \"" + name + "\"}"), 400,
                "INVALID_PARAMETER_VALUE", "'source'");
        assertError(keel.json("POST", MLFLOW + "registered-models/rename", "{\"name\": \"" + name + "\"}"), 400,
                "INVALID_PARAMETER_VALUE", "'new_name'");
        assertError(keel.send("POST", MLFLOW + "registered-models/create", "text/plain", "{\"name\": \"plain\"}"), 400,
                "INVALID_PARAMETER_VALUE", "Content-Type");
        assertError(keel.json("POST", MLFLOW + "registered-models/create", "{\"name\": \"" + name + "\"}"), 400,
                "RESOURCE_ALREADY_EXISTS", name);
        assertThat(versionCount()).isEqualTo(1);
    }

    @Test
    void an_archive_entry_leading_out_of_the_directory_registers_nothing() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("model.onnx"));
            zip.write("not really".getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("../escaped.txt"));
            zip.write("outside".getBytes(StandardCharsets.UTF_8));
        }
        HttpResponse<String> response = Deployment.send(HttpRequest.newBuilder(keel.uri("/api/v1/models/" + name
                        + "/versions/archive")).header("Content-Type", "application/zip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes.toByteArray())).build());
        assertError(response, 400, "INVALID_PARAMETER_VALUE", "../escaped.txt");
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(whole)) {
            zip.putNextEntry(new ZipEntry("model.onnx"));
            zip.write(TrainedModel.onnx());
        }
        byte[] truncated = java.util.Arrays.copyOf(whole.toByteArray(), whole.size() / 2);
        assertError(Deployment.send(HttpRequest.newBuilder(keel.uri("/api/v1/models/" + name + "/versions/archive"))
                .header("Content-Type", "application/zip").POST(HttpRequest.BodyPublishers.ofByteArray(truncated)).build()),
                400, "INVALID_PARAMETER_VALUE", "ended before");
        assertError(keel.send("POST", "/api/v1/models/" + name + "/versions/archive?tag=no-equals-sign", "application/zip", ""),
                400, "INVALID_PARAMETER_VALUE", "'tag'", "key=value");
        assertThat(versionCount()).isEqualTo(1);
    }

    @Test
    void a_bad_evaluation_set_is_refused_naming_the_field_and_nothing_is_recorded() throws IOException {
        String path = "/api/v1/models/" + name + "/versions/1/evaluation";
        String rows = ",\"actual\":[true,false],\"sensitive_attributes\":{\"region\":[\"north\",\"south\"]}}";
        assertError(keel.json("PUT", path, "{}"), 400, "INVALID_PARAMETER_VALUE", "'predicted'");
        assertError(keel.json("PUT", path, "{\"predicted\":[true]" + rows), 400, "INVALID_PARAMETER_VALUE",
                "1 predicted values but 2 actual");
        assertError(keel.json("PUT", path, "{\"predicted\":[true,null]" + rows), 400, "INVALID_PARAMETER_VALUE", "'predicted[1]'");
        assertError(keel.json("PUT", path, "{\"predicted\":\"yes\"" + rows), 400, "INVALID_PARAMETER_VALUE", "predicted");
        assertError(keel.json("PUT", path, "{\"predicted\":[true,false],\"actual\":[true,false],\"sensitive_attributes\":"
                + "{\"region\":[\"north\",\"" + "s".repeat(101) + "\"]}}"), 400, "INVALID_PARAMETER_VALUE",
                "'sensitive_attributes.region[1]'", "at most 100");
        StringBuilder many = new StringBuilder("{\"predicted\":[true],\"actual\":[true],\"sensitive_attributes\":{");
        for (int i = 0; i < 11; i++) {
            many.append(i == 0 ? "" : ",").append("\"a").append(i).append("\":[\"x\"]");
        }
        assertError(keel.json("PUT", path, many + "}}"), 400, "INVALID_PARAMETER_VALUE", "'sensitive_attributes' holds 11");
        String flags = String.join(",", java.util.Collections.nCopies(100_001, "true"));
        assertError(keel.json("PUT", path, "{\"predicted\":[" + flags + "],\"actual\":[" + flags + "],"
                + "\"sensitive_attributes\":{}}"), 400, "INVALID_PARAMETER_VALUE", "'predicted' holds 100001 rows");
        assertError(keel.json("PUT", "/api/v1/models/" + name + "/versions/x/evaluation", "{\"predicted\":[true,false]" + rows),
                400, "INVALID_PARAMETER_VALUE", "'version'");
        assertError(keel.json("PUT", "/api/v1/models/absent-" + name + "/versions/1/evaluation", "{\"predicted\":[true,false]"
                + rows), 404, "RESOURCE_DOES_NOT_EXIST", "absent-");

        assertError(keel.get(path), 404, "RESOURCE_DOES_NOT_EXIST", "has no evaluation set");
    }
}
