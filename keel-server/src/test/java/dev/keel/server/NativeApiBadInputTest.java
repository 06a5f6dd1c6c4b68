package dev.keel.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.server.contract.Deployment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static dev.keel.server.ErrorAnswers.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/** Bad input over raw HTTP: every case is a 4xx whose body names the error and the field. */
class NativeApiBadInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SMALL_LIMIT = 4096;

    static TestServer keel;
    static String runId;

    @BeforeAll
    static void start() throws Exception {
        keel = TestServer.start(ServerOptions.defaults().withMaxJsonBodyBytes(SMALL_LIMIT));
        HttpResponse<String> run = keel.json("POST", "/api/v1/runs", "{\"experiment_id\": \"0\", \"run_name\": \"bad-input\"}");
        assertThat(run.statusCode()).isEqualTo(201);
        runId = JSON.readTree(run.body()).at("/info/run_id").asText();
    }

    @AfterAll
    static void stop() {
        keel.close();
    }

    private static String run(String suffix) {
        return "/api/v1/runs/" + runId + suffix;
    }

    @Test
    void malformed_json_is_a_bad_request_with_its_position() throws Exception {
        assertError(keel.json("POST", run("/metrics"), "{\"key\": \"loss\", \"value\": 1,"),
                400, "BAD_REQUEST", "malformed JSON", "line 1");
        assertError(keel.json("POST", "/api/v1/experiments", "{\"name\": 'single quotes'}"), 400, "BAD_REQUEST", "malformed JSON");
        assertError(keel.json("POST", "/api/v1/experiments", "{\"name\": \"x\"} trailing"), 400, "BAD_REQUEST", "malformed JSON");
    }

    @Test
    void a_value_of_the_wrong_json_type_names_its_field() throws Exception {
        assertError(keel.json("POST", run("/metrics"), "{\"key\": \"loss\", \"value\": \"high\", \"timestamp\": 1}"),
                400, "INVALID_PARAMETER_VALUE", "'value'", "number");
        assertError(keel.json("POST", "/api/v1/experiments", "{\"name\": 5}"), 400, "INVALID_PARAMETER_VALUE", "'name'", "string");
        assertError(keel.json("PATCH", run(""), "{\"status\": \"DONE\"}"), 400, "INVALID_PARAMETER_VALUE", "'status'", "FINISHED");
        assertError(keel.json("POST", "/api/v1/runs/search", "{\"experiment_ids\": \"0\"}"),
                400, "INVALID_PARAMETER_VALUE", "'experiment_ids'", "array");
        assertError(keel.json("POST", "/api/v1/runs/search", "{\"max_results\": 1.5}"), 400, "INVALID_PARAMETER_VALUE", "'max_results'");
        assertError(keel.json("POST", run("/metrics"), "[1, 2]"), 400, "INVALID_PARAMETER_VALUE", "request body must be a JSON object");
    }

    @Test
    void a_wrong_type_deep_in_a_batch_names_its_json_path() throws Exception {
        String body = "{\"metrics\": [{\"key\": \"a\", \"value\": 1, \"timestamp\": 1},"
                + " {\"key\": \"b\", \"value\": 2, \"timestamp\": \"soon\"}]}";
        assertError(keel.json("POST", run("/batch"), body), 400, "INVALID_PARAMETER_VALUE", "'metrics[1].timestamp'", "integer");
    }

    @Test
    void a_missing_required_field_names_it() throws Exception {
        assertError(keel.json("POST", run("/metrics"), "{\"key\": \"loss\", \"timestamp\": 1}"),
                400, "INVALID_PARAMETER_VALUE", "'value'");
        assertError(keel.json("POST", run("/batch"), "{\"metrics\": [{\"key\": \"a\", \"timestamp\": 1}]}"),
                400, "INVALID_PARAMETER_VALUE", "'metrics[0].value'");
        assertError(keel.json("POST", "/api/v1/experiments", "{}"), 400, "INVALID_PARAMETER_VALUE", "'name'");
        assertError(keel.json("POST", "/api/v1/experiments", ""), 400, "INVALID_PARAMETER_VALUE", "request body is empty");
        assertError(keel.json("POST", "/api/v1/experiments", "null"), 400, "INVALID_PARAMETER_VALUE", "request body");
    }

    @Test
    void a_record_refusing_its_value_answers_in_its_own_words() throws Exception {
        assertError(keel.json("POST", run("/params"), "{\"key\": \"bad key!\", \"value\": \"x\"}"),
                400, "INVALID_PARAMETER_VALUE", "invalid param key 'bad key!'");
        assertError(keel.json("POST", run("/batch"), "{\"tags\": [{\"key\": \"../up\", \"value\": \"x\"}]}"),
                400, "INVALID_PARAMETER_VALUE", "tag key");
    }

    @Test
    void unknown_fields_are_ignored() throws Exception {
        HttpResponse<String> created = keel.json("POST", "/api/v1/experiments", "{\"name\": \"with-extra\", \"colour\": \"blue\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(JSON.readTree(created.body()).path("name").asText()).isEqualTo("with-extra");
    }

    @Test
    void a_body_over_the_limit_is_refused_whole_with_or_without_a_length() throws Exception {
        String big = "{\"name\": \"" + "x".repeat((int) SMALL_LIMIT) + "\"}";
        assertError(keel.json("POST", "/api/v1/experiments", big), 413, "PAYLOAD_TOO_LARGE", String.valueOf(SMALL_LIMIT));

        byte[] bytes = big.getBytes(StandardCharsets.UTF_8);
        HttpRequest chunked = HttpRequest.newBuilder(keel.uri("/api/v1/experiments"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)))
                .build();
        assertError(Deployment.send(chunked), 413, "PAYLOAD_TOO_LARGE");
    }

    @Test
    void a_json_body_needs_the_json_content_type() throws Exception {
        assertError(keel.send("POST", "/api/v1/experiments", "text/plain", "{\"name\": \"plain\"}"),
                400, "INVALID_PARAMETER_VALUE", "'Content-Type'", "text/plain");
        assertError(keel.send("POST", "/api/v1/experiments", null, "{\"name\": \"none\"}"),
                400, "INVALID_PARAMETER_VALUE", "'Content-Type'");
        assertThat(keel.send("POST", "/api/v1/experiments", "application/json; charset=utf-8", "{\"name\": \"charset\"}")
                .statusCode()).isEqualTo(201);
    }

    @Test
    void an_unknown_route_or_method_is_endpoint_not_found() throws Exception {
        assertError(keel.get("/api/v1/nothing-here"), 404, "ENDPOINT_NOT_FOUND", "GET /api/v1/nothing-here");
        assertError(keel.send("PUT", "/api/v1/runs/search", null, null), 404, "ENDPOINT_NOT_FOUND");
        assertError(keel.get("/"), 404, "ENDPOINT_NOT_FOUND");
    }

    @Test
    void unknown_and_malformed_ids_are_told_apart() throws Exception {
        assertError(keel.get("/api/v1/runs/" + "0".repeat(32)), 404, "RESOURCE_DOES_NOT_EXIST", "0".repeat(32));
        assertError(keel.get("/api/v1/experiments/987654"), 404, "RESOURCE_DOES_NOT_EXIST", "987654");
        assertError(keel.get("/api/v1/runs/not-a-run"), 400, "INVALID_PARAMETER_VALUE", "'run_id'");
        assertError(keel.get("/api/v1/experiments/abc"), 400, "INVALID_PARAMETER_VALUE", "'experiment_id'");
        assertError(keel.json("POST", "/api/v1/runs/" + "0".repeat(32) + "/metrics",
                "{\"key\": \"loss\", \"value\": 1, \"timestamp\": 1}"), 404, "RESOURCE_DOES_NOT_EXIST");
    }

    @Test
    void bad_query_parameters_name_themselves() throws Exception {
        assertError(keel.get("/api/v1/experiments?max_results=many"), 400, "INVALID_PARAMETER_VALUE", "'max_results'", "many");
        assertError(keel.get("/api/v1/experiments?view_type=SOME"), 400, "INVALID_PARAMETER_VALUE", "'view_type'", "ACTIVE_ONLY");
        assertError(keel.get(run("/metrics/loss/history?max_results=-1")), 400, "INVALID_PARAMETER_VALUE", "'max_results'");
    }

    @Test
    void a_refused_batch_stores_nothing() throws Exception {
        String body = "{\"metrics\": [{\"key\": \"kept\", \"value\": 1, \"timestamp\": 1}],"
                + " \"params\": [{\"key\": \"p\", \"value\": \"1\"}, {\"key\": \"p\", \"value\": \"2\"}]}";
        assertError(keel.json("POST", run("/batch"), body), 400, "INVALID_PARAMETER_VALUE", "'p'");
        JsonNode stored = JSON.readTree(keel.get(run("")).body());
        assertThat(stored.at("/data/metrics")).noneMatch(m -> m.path("key").asText().equals("kept"));
        assertThat(stored.at("/data/params")).isEmpty();
    }

    @Test
    void nan_and_infinities_round_trip_as_strings() throws Exception {
        String body = "{\"metrics\": [{\"key\": \"nan\", \"value\": \"NaN\", \"timestamp\": 1},"
                + " {\"key\": \"up\", \"value\": \"Infinity\", \"timestamp\": 1},"
                + " {\"key\": \"down\", \"value\": \"-Infinity\", \"timestamp\": 1},"
                + " {\"key\": \"bare\", \"value\": NaN, \"timestamp\": 1}]}";
        assertThat(keel.json("POST", run("/batch"), body).statusCode()).isEqualTo(204);

        JsonNode metrics = JSON.readTree(keel.get(run("")).body()).at("/data/metrics");
        assertThat(metrics).anySatisfy(m -> assertThat(m.toString()).contains("\"key\":\"nan\"").contains("\"value\":\"NaN\""));
        assertThat(metrics).anySatisfy(m -> assertThat(m.toString()).contains("\"key\":\"up\"").contains("\"value\":\"Infinity\""));
        assertThat(metrics).anySatisfy(m -> assertThat(m.toString()).contains("\"key\":\"down\"").contains("\"value\":\"-Infinity\""));
        assertThat(metrics).anySatisfy(m -> assertThat(m.toString()).contains("\"key\":\"bare\"").contains("\"value\":\"NaN\""));
        assertThat(keel.get(run("/metrics/up/history")).body()).contains("\"value\":\"Infinity\"");
    }

    @Test
    void health_answers_ok() {
        HttpResponse<String> health = keel.get("/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("OK");
    }
}
