package dev.keel.cli.demo;

import dev.keel.api.Tag;
import dev.keel.api.tracking.LogBatch;
import dev.keel.api.tracking.Metric;
import dev.keel.api.tracking.Param;
import dev.keel.api.tracking.RunStatus;
import dev.keel.core.ArtifactPath;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

/**
 * Runs logged the way MLflow's own clients log them: JSON over {@code /api/2.0/mlflow/…} and
 * artifacts PUT through the {@code mlflow-artifacts} proxy at the URI the run hands out. The
 * demo trains one model this way to show an MLflow user's runs and Keel's land side by side.
 */
final class MlflowRestRunLog implements RunLog {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI server;
    private final HttpClient http = HttpClient.newHttpClient();

    MlflowRestRunLog(URI server) {
        this.server = server;
    }

    @Override
    public String start(String experimentId, String runName, long startTime, List<Tag> tags) {
        ObjectNode body = JSON.createObjectNode()
                .put("experiment_id", experimentId)
                .put("run_name", runName)
                .put("start_time", startTime);
        ArrayNode tagList = body.putArray("tags");
        tags.forEach(tag -> tagList.addObject().put("key", tag.key()).put("value", tag.value()));
        return post("runs/create", body).path("run").path("info").path("run_id").asText();
    }

    @Override
    public void log(String runId, LogBatch batch) {
        ObjectNode body = JSON.createObjectNode().put("run_id", runId);
        ArrayNode metrics = body.putArray("metrics");
        for (Metric metric : batch.metrics()) {
            // the Python client sends int64 fields as numbers, the Java client as strings; both work
            metrics.addObject().put("key", metric.key()).put("value", metric.value())
                    .put("timestamp", metric.timestamp()).put("step", metric.step());
        }
        ArrayNode params = body.putArray("params");
        for (Param param : batch.params()) {
            params.addObject().put("key", param.key()).put("value", param.value());
        }
        ArrayNode tags = body.putArray("tags");
        for (Tag tag : batch.tags()) {
            tags.addObject().put("key", tag.key()).put("value", tag.value());
        }
        post("runs/log-batch", body);
    }

    @Override
    public void upload(String runId, ArtifactPath path, byte[] content) {
        String artifactUri = get("runs/get?run_id=" + runId).path("run").path("info").path("artifact_uri").asText();
        // mlflow-artifacts:/<experiment>/<run>/artifacts → the proxy path MLflow's client PUTs to
        String location = artifactUri.substring("mlflow-artifacts:".length()).replaceFirst("^/+", "");
        send(HttpRequest.newBuilder(server.resolve("/api/2.0/mlflow-artifacts/artifacts/" + location + "/" + path.value()))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build());
    }

    @Override
    public void end(String runId, RunStatus status, long endTime) {
        post("runs/update", JSON.createObjectNode().put("run_id", runId).put("status", status.name()).put("end_time", endTime));
    }

    @Override
    public String protocol() {
        return "MLflow REST API";
    }

    private JsonNode post(String route, ObjectNode body) {
        return send(HttpRequest.newBuilder(server.resolve("/api/2.0/mlflow/" + route))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
    }

    private JsonNode get(String routeAndQuery) {
        return send(HttpRequest.newBuilder(server.resolve("/api/2.0/mlflow/" + routeAndQuery)).GET().build());
    }

    private JsonNode send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode answer = response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
            if (response.statusCode() / 100 != 2) {
                throw new KeelException(ErrorCode.fromName(answer.path("error_code").asText(null), response.statusCode()),
                        "MLflow route " + request.uri().getPath() + " answered " + response.statusCode() + ": "
                                + answer.path("message").asText(response.body()));
            }
            return answer;
        } catch (IOException e) {
            throw new KeelException(ErrorCode.TEMPORARILY_UNAVAILABLE, "cannot reach Keel at " + server + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeelException(ErrorCode.TEMPORARILY_UNAVAILABLE, "interrupted while talking to " + server, e);
        }
    }
}
