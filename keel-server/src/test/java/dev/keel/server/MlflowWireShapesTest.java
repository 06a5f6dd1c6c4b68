package dev.keel.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.core.Actor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every MLflow route, tracking and registry, one call each, checked field by field against the
 * message shapes in {@code mlflow/messages.json} (written from MLflow's protocol definitions): names, JSON types,
 * fields always set, and no field the protocol does not have. Under both prefixes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MlflowWireShapesTest {
    private final ObjectMapper mapper = new ObjectMapper();
    private TestServer keel;
    private JsonNode messages;

    @BeforeAll
    void start() throws IOException {
        keel = TestServer.start();
        try (InputStream in = getClass().getResourceAsStream("/mlflow/messages.json")) {
            messages = mapper.readTree(in);
        }
    }

    @AfterAll
    void stop() {
        if (keel != null) {
            keel.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/2.0/mlflow/", "/ajax-api/2.0/mlflow/"})
    void every_route_answers_with_the_fields_and_types_of_its_message(String prefix) throws IOException {
        String name = "shapes-" + prefix.length() + "-" + System.nanoTime();
        String experimentId = check(post(prefix + "experiments/create", "{\"name\": \"" + name
                + "\", \"tags\": [{\"key\": \"team\", \"value\": \"risk\"}]}"), "CreateExperiment.Response")
                .get("experiment_id").asText();
        check(get(prefix + "experiments/get?experiment_id=" + experimentId), "GetExperiment.Response");
        check(get(prefix + "experiments/get-by-name?experiment_name=" + name), "GetExperiment.Response");
        check(post(prefix + "experiments/search", "{\"max_results\": \"5\", \"filter\": \"name LIKE 'shapes%'\"}"),
                "SearchExperiments.Response");
        check(get(prefix + "experiments/search?max_results=1&order_by=name&order_by=creation_time"),
                "SearchExperiments.Response");
        check(post(prefix + "experiments/set-experiment-tag", "{\"experiment_id\": \"" + experimentId
                + "\", \"key\": \"k\", \"value\": \"v\"}"), "Empty");
        check(post(prefix + "experiments/delete-experiment-tag", "{\"experiment_id\": \"" + experimentId
                + "\", \"key\": \"k\"}"), "Empty");
        check(post(prefix + "experiments/update", "{\"experiment_id\": \"" + experimentId + "\", \"new_name\": \""
                + name + "-2\"}"), "Empty");

        JsonNode created = check(post(prefix + "runs/create", "{\"experiment_id\": \"" + experimentId
                + "\", \"start_time\": 1000, \"tags\": [{\"key\": \"mlflow.runName\", \"value\": \"shaped\"}]}"),
                "CreateRun.Response");
        String runId = created.at("/run/info/run_id").asText();
        String run = "\"run_id\": \"" + runId + "\"";
        check(post(prefix + "runs/log-metric", "{" + run + ", \"key\": \"m\", \"value\": \"NaN\", \"timestamp\": \"5\"}"), "Empty");
        check(post(prefix + "runs/log-metric", "{" + run + ", \"key\": \"m\", \"value\": 1.5, \"timestamp\": 6, \"step\": 1}"), "Empty");
        check(post(prefix + "runs/log-parameter", "{\"run_uuid\": \"" + runId + "\", \"key\": \"p\", \"value\": \"1\"}"), "Empty");
        check(post(prefix + "runs/set-tag", "{" + run + ", \"key\": \"t\", \"value\": \"\"}"), "Empty");
        check(post(prefix + "runs/delete-tag", "{" + run + ", \"key\": \"t\"}"), "Empty");
        check(post(prefix + "runs/log-batch", "{" + run + ", \"metrics\": [{\"key\": \"b\", \"value\": 2, \"timestamp\": 7, "
                + "\"step\": \"3\"}], \"params\": [{\"key\": \"q\", \"value\": \"2\"}], \"tags\": [{\"key\": \"u\", \"value\": \"w\"}]}"),
                "Empty");
        check(post(prefix + "runs/log-model", "{" + run + ", \"model_json\": \"{\\\"artifact_path\\\": \\\"m\\\", "
                + "\\\"flavors\\\": {}, \\\"utc_time_created\\\": \\\"now\\\", \\\"run_id\\\": \\\"" + runId + "\\\"}\"}"), "Empty");
        check(post(prefix + "runs/log-inputs", "{" + run + ", \"datasets\": [{\"tags\": [{\"key\": \"mlflow.data.context\", "
                + "\"value\": \"training\"}], \"dataset\": {\"name\": \"d\", \"digest\": \"1\", \"source_type\": \"local\", "
                + "\"source\": \"s\", \"schema\": \"{}\"}}]}"), "Empty");
        HttpResponse<String> upload = keel.send("PUT", "/api/2.0/mlflow-artifacts/artifacts/" + experimentId + "/" + runId
                + "/artifacts/dir/file.txt", "application/octet-stream", "hello");
        check(upload, "Empty");

        JsonNode got = check(get(prefix + "runs/get?run_id=" + runId), "GetRun.Response");
        assertThat(got.at("/run/data/metrics/0/step").isIntegralNumber()).isTrue();
        assertThat(got.at("/run/info/start_time").isIntegralNumber()).isTrue();
        check(post(prefix + "runs/update", "{" + run + ", \"status\": \"FINISHED\", \"end_time\": \"9000\"}"),
                "UpdateRun.Response");
        check(post(prefix + "runs/search", "{\"experiment_ids\": [\"" + experimentId + "\"], \"max_results\": 10, "
                + "\"order_by\": [\"metrics.m DESC\"], \"filter\": \"params.p = '1'\"}"), "SearchRuns.Response");
        JsonNode history = check(get(prefix + "metrics/get-history?run_id=" + runId + "&metric_key=m"),
                "GetMetricHistory.Response");
        assertThat(history.get("metrics")).hasSize(2);
        assertThat(history.has("next_page_token")).isFalse();
        check(get(prefix + "artifacts/list?run_id=" + runId), "ListArtifacts.Response");
        check(get(prefix + "artifacts/list?run_id=" + runId + "&path=dir"), "ListArtifacts.Response");
        check(get("/api/2.0/mlflow-artifacts/artifacts?path=" + experimentId + "/" + runId + "/artifacts/dir"),
                "ProxyListArtifacts.Response");
        check(post(prefix + "runs/delete", "{" + run + "}"), "Empty");
        check(post(prefix + "runs/restore", "{" + run + "}"), "Empty");
        check(post(prefix + "experiments/delete", "{\"experiment_id\": \"" + experimentId + "\"}"), "Empty");
        check(post(prefix + "experiments/restore", "{\"experiment_id\": \"" + experimentId + "\"}"), "Empty");

        check(get(prefix + "runs/get?run_id=0123456789abcdef0123456789abcdef"), "Error");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/2.0/mlflow/", "/ajax-api/2.0/mlflow/"})
    void every_registry_route_answers_with_the_fields_and_types_of_its_message(String prefix) throws IOException {
        String name = "shaped-model-" + prefix.length() + "-" + System.nanoTime();
        String runId = ModelsInRuns.runWithModel(keel.platform.tracking(), Actor.LOCAL);
        String experimentId = keel.platform.tracking().getRun(Actor.LOCAL, runId).info().experimentId();
        String model = "\"name\": \"" + name + "\"";

        JsonNode created = check(post(prefix + "registered-models/create", "{" + model + ", \"description\": \"credit\", "
                + "\"tags\": [{\"key\": \"team\", \"value\": \"risk\"}]}"), "CreateRegisteredModel.Response");
        assertThat(created.at("/registered_model/name").asText()).isEqualTo(name);
        check(get(prefix + "registered-models/get?name=" + name), "GetRegisteredModel.Response");
        check(post(prefix + "registered-models/set-tag", "{" + model + ", \"key\": \"k\", \"value\": \"v\"}"), "Empty");

        JsonNode first = check(post(prefix + "model-versions/create", "{" + model + ", \"source\": \"runs:/" + runId
                + "/model\", \"run_id\": \"" + runId + "\", \"description\": \"first\", "
                + "\"tags\": [{\"key\": \"data\", \"value\": \"2024\"}]}"), "CreateModelVersion.Response");
        assertThat(first.at("/model_version/version").isTextual()).isTrue();
        assertThat(first.at("/model_version/version").asText()).isEqualTo("1");
        assertThat(first.at("/model_version/current_stage").asText()).isEqualTo("None");
        assertThat(first.at("/model_version/status").asText()).isEqualTo("READY");
        check(post(prefix + "model-versions/create", "{" + model + ", \"source\": \"mlflow-artifacts:/" + experimentId
                + "/" + runId + "/artifacts/model\"}"), "CreateModelVersion.Response");
        String v1 = model + ", \"version\": \"1\"";

        check(get(prefix + "model-versions/get?name=" + name + "&version=1"), "GetModelVersion.Response");
        check(keel.json("PATCH", prefix + "model-versions/update", "{" + v1 + ", \"description\": \"better\"}"),
                "UpdateModelVersion.Response");
        check(post(prefix + "model-versions/set-tag", "{" + v1 + ", \"key\": \"t\", \"value\": \"x\"}"), "Empty");
        check(keel.json("DELETE", prefix + "model-versions/delete-tag", "{" + v1 + ", \"key\": \"t\"}"), "Empty");
        JsonNode moved = check(post(prefix + "model-versions/transition-stage", "{" + v1 + ", \"stage\": \"production\", "
                + "\"archive_existing_versions\": true}"), "TransitionModelVersionStage.Response");
        assertThat(moved.at("/model_version/current_stage").asText()).isEqualTo("Production");
        check(post(prefix + "registered-models/alias", "{" + model + ", \"alias\": \"champion\", \"version\": 1}"), "Empty");
        JsonNode champion = check(get(prefix + "registered-models/alias?name=" + name + "&alias=champion"),
                "GetModelVersionByAlias.Response");
        assertThat(champion.at("/model_version/aliases/0").asText()).isEqualTo("champion");

        JsonNode full = check(get(prefix + "registered-models/get?name=" + name), "GetRegisteredModel.Response");
        assertThat(full.at("/registered_model/aliases/0/version").asText()).isEqualTo("1");
        assertThat(full.at("/registered_model/latest_versions")).isNotEmpty();
        check(get(prefix + "registered-models/get-latest-versions?name=" + name + "&stages=Production"),
                "GetLatestVersions.Response");
        check(post(prefix + "registered-models/get-latest-versions", "{" + model + ", \"stages\": [\"None\"]}"),
                "GetLatestVersions.Response");
        check(get(prefix + "registered-models/search?filter=name%20%3D%20%27" + name + "%27&max_results=10"),
                "SearchRegisteredModels.Response");
        check(get(prefix + "model-versions/search?filter=name%20%3D%20%27" + name + "%27&max_results=1"),
                "SearchModelVersions.Response");
        check(get(prefix + "model-versions/get-download-uri?name=" + name + "&version=1"),
                "GetModelVersionDownloadUri.Response");
        check(keel.json("PATCH", prefix + "registered-models/update", "{" + model + ", \"description\": \"new\"}"),
                "UpdateRegisteredModel.Response");
        check(keel.json("DELETE", prefix + "registered-models/delete-tag", "{" + model + ", \"key\": \"k\"}"), "Empty");
        check(keel.json("DELETE", prefix + "registered-models/alias", "{" + model + ", \"alias\": \"champion\"}"), "Empty");
        check(keel.json("DELETE", prefix + "model-versions/delete", "{" + model + ", \"version\": \"2\"}"), "Empty");
        check(post(prefix + "registered-models/rename", "{" + model + ", \"new_name\": \"" + name + "-renamed\"}"),
                "RenameRegisteredModel.Response");
        check(keel.json("DELETE", prefix + "registered-models/delete", "{\"name\": \"" + name + "-renamed\"}"), "Empty");

        check(get(prefix + "registered-models/get?name=" + name + "-renamed"), "Error");
    }

    private HttpResponse<String> post(String path, String body) {
        return keel.json("POST", path, body);
    }

    private HttpResponse<String> get(String path) {
        return keel.get(path);
    }

    private JsonNode check(HttpResponse<String> response, String message) throws IOException {
        assertThat(response.statusCode()).as(response.uri() + " " + response.body())
                .isEqualTo(message.equals("Error") ? 404 : 200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode body = mapper.readTree(response.body());
        List<String> problems = new ArrayList<>();
        conforms(body, message, message, problems);
        assertThat(problems).as(response.uri() + " answered " + response.body()).isEmpty();
        return body;
    }

    private void conforms(JsonNode value, String type, String where, List<String> problems) {
        switch (type) {
            case "string" -> expect(value.isTextual(), where, "a string", value, problems);
            case "int64" -> expect(value.isIntegralNumber(), where, "an integer", value, problems);
            case "bool" -> expect(value.isBoolean(), where, "a boolean", value, problems);
            case "double" -> expect(value.isNumber() || (value.isTextual()
                    && List.of("NaN", "Infinity", "-Infinity").contains(value.asText())), where, "a number", value, problems);
            default -> {
                if (type.startsWith("enum:")) {
                    expect(value.isTextual() && List.of(type.substring(5).split("\\|")).contains(value.asText()), where,
                            type, value, problems);
                    return;
                }
                JsonNode shape = messages.get(type);
                assertThat(shape).as("fixture for message " + type).isNotNull();
                if (!value.isObject()) {
                    problems.add(where + ": expected a " + type + " object, got " + value);
                    return;
                }
                for (Iterator<Map.Entry<String, JsonNode>> fields = shape.fields(); fields.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    if (field.getValue().isTextual() && field.getValue().asText().endsWith("!") && !value.has(field.getKey())) {
                        problems.add(where + "." + field.getKey() + ": missing");
                    }
                }
                for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    JsonNode declared = shape.get(field.getKey());
                    String path = where + "." + field.getKey();
                    if (declared == null) {
                        problems.add(path + ": not a field of " + type);
                    } else if (declared.isArray()) {
                        if (!field.getValue().isArray() || field.getValue().isEmpty()) {
                            problems.add(path + ": expected a non-empty list (empty lists are left out), got " + field.getValue());
                        } else {
                            for (int i = 0; i < field.getValue().size(); i++) {
                                conforms(field.getValue().get(i), declared.get(0).asText(), path + "[" + i + "]", problems);
                            }
                        }
                    } else {
                        String declaredType = declared.asText();
                        conforms(field.getValue(), declaredType.endsWith("!") ? declaredType.substring(0, declaredType.length() - 1)
                                : declaredType, path, problems);
                    }
                }
            }
        }
    }

    private static void expect(boolean ok, String where, String expected, JsonNode value, List<String> problems) {
        if (!ok) {
            problems.add(where + ": expected " + expected + ", got " + value);
        }
    }
}
