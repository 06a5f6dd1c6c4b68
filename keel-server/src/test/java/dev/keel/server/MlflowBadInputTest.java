package dev.keel.server;

import dev.keel.api.tracking.NewExperiment;
import dev.keel.api.tracking.NewRun;
import dev.keel.api.tracking.Run;
import dev.keel.core.Actor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.keel.server.ErrorAnswers.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/** Bad input on the MLflow routes gets MLflow's error code and status, a message naming the field, and changes nothing. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MlflowBadInputTest {
    private static final String API = "/api/2.0/mlflow/";
    private final Actor alice = new Actor("alice");
    private TestServer keel;

    @BeforeAll
    void start() {
        keel = TestServer.start(ServerOptions.defaults().withActor(alice));
    }

    @AfterAll
    void stop() {
        if (keel != null) {
            keel.close();
        }
    }

    private String newRun() {
        String experimentId = keel.platform.tracking().createExperiment(alice,
                NewExperiment.named("bad-" + UUID.randomUUID())).experimentId();
        return keel.platform.tracking().createRun(alice, NewRun.in(experimentId)).info().runId();
    }

    private Run stored(String runId) {
        return keel.platform.tracking().getRun(alice, runId);
    }

    private HttpResponse<String> post(String route, String body) {
        return keel.json("POST", API + route, body);
    }

    @Test
    void missing_required_fields_are_named() {
        String runId = newRun();
        assertError(post("experiments/create", "{}"), 400, "INVALID_PARAMETER_VALUE", "'name'");
        assertError(keel.get(API + "experiments/get"), 400, "INVALID_PARAMETER_VALUE", "'experiment_id'");
        assertError(post("runs/log-metric", "{\"run_id\": \"" + runId + "\", \"key\": \"m\", \"value\": 1}"), 400,
                "INVALID_PARAMETER_VALUE", "'timestamp'");
        assertError(post("runs/log-parameter", "{\"key\": \"p\", \"value\": \"1\"}"), 400, "INVALID_PARAMETER_VALUE", "'run_id'");
        assertError(post("runs/log-batch", "{\"run_id\": \"" + runId + "\", \"metrics\": [{\"key\": \"m\", \"timestamp\": 1}]}"), 400,
                "INVALID_PARAMETER_VALUE", "'metrics[0].value'");
        assertError(post("runs/log-model", "{\"run_id\": \"" + runId + "\", \"model_json\": \"{\\\"artifact_path\\\": \\\"m\\\"}\"}"),
                400, "INVALID_PARAMETER_VALUE", "flavors", "utc_time_created");
        assertError(post("runs/log-model", "{\"run_id\": \"" + runId + "\", \"model_json\": \"not json\"}"), 400,
                "INVALID_PARAMETER_VALUE", "not a valid JSON");
        assertError(post("runs/log-inputs", "{\"run_id\": \"" + runId + "\", \"datasets\": [{\"dataset\": {\"name\": \"d\"}}]}"), 400,
                "INVALID_PARAMETER_VALUE", "'digest'");
        assertError(keel.get(API + "metrics/get-history?run_id=" + runId), 400, "INVALID_PARAMETER_VALUE", "'metric_key'");
        assertThat(stored(runId).data().metrics()).isEmpty();
        assertThat(stored(runId).inputs().datasetInputs()).isEmpty();
    }

    @Test
    void bad_and_unknown_ids_get_mlflow_answers() {
        assertError(keel.get(API + "runs/get?run_id=0123456789abcdef0123456789abcdef"), 404, "RESOURCE_DOES_NOT_EXIST");
        assertError(keel.get(API + "runs/get?run_id=abc"), 404, "RESOURCE_DOES_NOT_EXIST", "abc");
        assertError(keel.get(API + "runs/get?run_id=no%20such%20id"), 400, "INVALID_PARAMETER_VALUE", "run_id");
        assertError(keel.get(API + "experiments/get?experiment_id=987654"), 404, "RESOURCE_DOES_NOT_EXIST");
        assertError(keel.get(API + "experiments/get?experiment_id=x1"), 400, "INVALID_PARAMETER_VALUE", "experiment_id");
        assertError(keel.get(API + "experiments/get-by-name?experiment_name=nobody-" + UUID.randomUUID()), 404,
                "RESOURCE_DOES_NOT_EXIST");
        assertError(post("runs/log-metric", "{\"run_id\": \"" + newRun() + "\", \"key\": \"m\", \"value\": 1, \"timestamp\": \"soon\"}"),
                400, "INVALID_PARAMETER_VALUE", "'timestamp'");
    }

    @Test
    void over_long_keys_and_values_are_refused() {
        String runId = newRun();
        String run = "{\"run_id\": \"" + runId + "\", ";
        assertError(post("runs/log-parameter", run + "\"key\": \"" + "k".repeat(251) + "\", \"value\": \"v\"}"), 400,
                "INVALID_PARAMETER_VALUE", "param key");
        assertError(post("runs/log-parameter", run + "\"key\": \"p\", \"value\": \"" + "v".repeat(6001) + "\"}"), 400,
                "INVALID_PARAMETER_VALUE", "'p'");
        assertError(post("runs/set-tag", run + "\"key\": \"t\", \"value\": \"" + "v".repeat(5001) + "\"}"), 400,
                "INVALID_PARAMETER_VALUE", "'t'");
        assertError(post("runs/log-metric", run + "\"key\": \"../up\", \"value\": 1, \"timestamp\": 1}"), 400,
                "INVALID_PARAMETER_VALUE", "../up");
        assertError(post("experiments/create", "{\"name\": \"" + "e".repeat(501) + "\"}"), 400, "INVALID_PARAMETER_VALUE", "name");
        assertThat(stored(runId).data().params()).isEmpty();
    }

    @Test
    void batches_over_the_limits_or_with_one_bad_item_store_nothing() {
        String runId = newRun();
        String metrics = IntStream.range(0, 1001).mapToObj(i -> "{\"key\": \"m\", \"value\": 1, \"timestamp\": " + i + "}")
                .collect(Collectors.joining(", "));
        assertError(post("runs/log-batch", "{\"run_id\": \"" + runId + "\", \"metrics\": [" + metrics + "]}"), 400,
                "INVALID_PARAMETER_VALUE", "metrics", "1000");
        String params = IntStream.range(0, 101).mapToObj(i -> "{\"key\": \"p" + i + "\", \"value\": \"1\"}")
                .collect(Collectors.joining(", "));
        assertError(post("runs/log-batch", "{\"run_id\": \"" + runId + "\", \"params\": [" + params + "]}"), 400,
                "INVALID_PARAMETER_VALUE", "params", "100");
        assertError(post("runs/log-batch", "{\"run_id\": \"" + runId + "\", \"metrics\": [{\"key\": \"good\", \"value\": 1, "
                + "\"timestamp\": 1}], \"params\": [{\"key\": \"x\", \"value\": \"1\"}, {\"key\": \"x\", \"value\": \"2\"}]}"),
                400, "INVALID_PARAMETER_VALUE", "'x'");
        assertThat(stored(runId).data().metrics()).isEmpty();
        assertThat(stored(runId).data().params()).isEmpty();
    }

    @Test
    void a_run_name_and_a_differing_run_name_tag_are_refused() {
        String experimentId = keel.platform.tracking().createExperiment(alice, NewExperiment.named("names-" + UUID.randomUUID()))
                .experimentId();
        assertError(post("runs/create", "{\"experiment_id\": \"" + experimentId + "\", \"run_name\": \"a\", \"tags\": "
                + "[{\"key\": \"mlflow.runName\", \"value\": \"b\"}]}"), 400, "INVALID_PARAMETER_VALUE", "run_name");
        assertThat(keel.platform.tracking().searchRuns(alice, dev.keel.api.tracking.RunSearch.in(java.util.List.of(experimentId), null))
                .items()).isEmpty();
    }

    @Test
    void a_body_without_json_content_type_is_refused() {
        assertError(keel.send("POST", API + "experiments/create", "text/plain", "{\"name\": \"plain\"}"), 400,
                "INVALID_PARAMETER_VALUE", "Content-Type");
        assertError(keel.send("POST", API + "experiments/create", null, "{\"name\": \"none\"}"), 400,
                "INVALID_PARAMETER_VALUE", "Content-Type");
        assertError(keel.json("POST", API + "experiments/create", "{\"name\": "), 400, "BAD_REQUEST", "malformed JSON");
    }

    @Test
    void unknown_routes_are_endpoint_not_found_and_version_and_health_answer() {
        assertError(keel.get(API + "no-such/route"), 404, "ENDPOINT_NOT_FOUND");
        assertError(keel.get("/ajax-api/2.0/mlflow/registered-models/list"), 404, "ENDPOINT_NOT_FOUND");
        assertError(keel.json("POST", "/api/2.0/mlflow-artifacts/mpu/create/x", "{}"), 404, "ENDPOINT_NOT_FOUND");
        assertThat(keel.get("/version").body()).matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(keel.get("/health").body()).isEqualTo("OK");
    }

    @Test
    void the_artifact_proxy_streams_lists_and_deletes_and_refuses_other_paths() {
        String runId = newRun();
        String experimentId = stored(runId).info().experimentId();
        String base = "/api/2.0/mlflow-artifacts/artifacts/" + experimentId + "/" + runId + "/artifacts";

        assertThat(keel.send("PUT", base + "/model/MLmodel", "application/octet-stream", "flavors: {}").statusCode()).isEqualTo(200);
        assertThat(keel.get(base + "/model/MLmodel").body()).isEqualTo("flavors: {}");
        assertThat(keel.get("/api/2.0/mlflow-artifacts/artifacts?path=" + experimentId + "/" + runId + "/artifacts").body())
                .isEqualTo("{\"files\":[{\"path\":\"model\",\"is_dir\":true}]}");
        assertThat(keel.send("DELETE", base + "/model", null, null).statusCode()).isEqualTo(200);
        assertError(keel.get(base + "/model/MLmodel"), 404, "RESOURCE_DOES_NOT_EXIST");
        assertError(keel.send("PUT", "/api/2.0/mlflow-artifacts/artifacts/" + experimentId + "/" + runId + "/elsewhere/x",
                "application/octet-stream", "x"), 400, "INVALID_PARAMETER_VALUE", "artifact_uri");
        assertError(keel.send("PUT", "/api/2.0/mlflow-artifacts/artifacts/987654/" + runId + "/artifacts/x",
                "application/octet-stream", "x"), 404, "RESOURCE_DOES_NOT_EXIST", "987654");
        assertThat(keel.platform.tracking().listArtifacts(alice, runId, dev.keel.core.ArtifactPath.ROOT)).isEmpty();
    }
}
