package dev.keel.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.server.http.Route;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class OpenApiDocumentTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static TestServer keel;
    static JsonNode document;

    @BeforeAll
    static void start() throws Exception {
        keel = TestServer.start();
        HttpResponse<String> response = keel.get("/api/docs");
        assertThat(response.statusCode()).isEqualTo(200);
        document = JSON.readTree(response.body());
    }

    @AfterAll
    static void stop() {
        keel.close();
    }

    private static Set<String> documentedOperations() {
        Set<String> operations = new HashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fieldNames().forEachRemaining(method -> operations.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey()));
        }
        return operations;
    }

    @Test
    void the_document_is_openapi_3_and_describes_every_registered_route_and_no_other() {
        assertThat(document.path("openapi").asText()).startsWith("3.");
        List<String> registered = new ArrayList<>();
        for (Route route : keel.server.routes()) {
            registered.add(route.method().name() + " " + route.operation().openApiPath());
        }
        assertThat(documentedOperations()).containsExactlyInAnyOrderElementsOf(registered);
        assertThat(registered).contains("POST /api/v1/runs/{run_id}/batch", "GET /api/v1/runs/{run_id}/metrics/{key}/history",
                "PUT /api/v1/runs/{run_id}/artifacts/{path}", "GET /health", "GET /api/docs",
                "POST /api/v1/models/{name}/versions", "POST /api/v1/models/{name}/versions/{version}/stage",
                "GET /api/v1/models/{name}/versions/{version}/files/{path}", "GET /api/v1/model-versions",
                "POST /api/v1/approvals", "POST /api/v1/approvals/{id}/approve", "GET /api/v1/audit/export",
                "GET /api/v1/audit/verify", "POST /api/v1/audit/checkpoint",
                "PUT /api/v1/models/{name}/versions/{version}/evaluation",
                "GET /api/v1/models/{name}/versions/{version}/evaluation");
    }

    @Test
    void every_documented_operation_is_answered_by_the_server() {
        for (String operation : documentedOperations()) {
            String[] parts = operation.split(" ", 2);
            String path = parts[1].replace("{run_id}", "0".repeat(32)).replace("{experiment_id}", "0")
                    .replace("{key}", "k").replace("{path}", "a/b.txt")
                    .replace("{name}", "m").replace("{version}", "1").replace("{alias}", "champion")
                    .replace("{token_id}", "0").replace("{id}", "1");
            HttpResponse<String> response = keel.send(parts[0], path, "application/json", parts[0].equals("GET") ? null : "{}");
            assertThat(response.body()).as(operation).doesNotContain("ENDPOINT_NOT_FOUND");
        }
    }

    @Test
    void schemas_come_from_the_records_with_their_wire_names() {
        JsonNode schemas = document.at("/components/schemas");
        assertThat(schemas.at("/RunInfo/properties").has("run_id")).isTrue();
        assertThat(schemas.at("/RunInfo/properties/status/enum").toString()).contains("RUNNING", "FINISHED");
        assertThat(schemas.at("/Experiment/properties").has("artifact_location")).isTrue();
        assertThat(schemas.at("/ArtifactEntry/properties").has("is_dir")).isTrue();
        assertThat(schemas.at("/MetricBody/properties/value/oneOf").toString()).contains("NaN", "-Infinity");
        assertThat(schemas.at("/RunPage/properties").has("next_page_token")).isTrue();
        assertThat(schemas.at("/ErrorBody/properties").has("error_code")).isTrue();
        assertThat(schemas.at("/ModelVersion/properties").has("current_stage")).isTrue();
        assertThat(schemas.at("/ModelManifest/properties").has("files")).isTrue();
        assertThat(schemas.at("/RegisteredModelPage/properties").has("next_page_token")).isTrue();
        JsonNode batch = document.at("/paths/~1api~1v1~1runs~1{run_id}~1batch/post/requestBody/content/application~1json/schema/$ref");
        assertThat(batch.asText()).isEqualTo("#/components/schemas/LogBatchBody");
    }
}
