package dev.keel.cli.bench;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Which of Keel's two tracking protocols a benchmark drives: the same service behind both. */
public enum TrackingApi {
    KEEL("keel"), MLFLOW("mlflow");

    private final String flavor;

    TrackingApi(String flavor) {
        this.flavor = flavor;
    }

    /** The FLAVOR argument of bench/lua/tracking.lua. */
    String flavor() {
        return flavor;
    }

    String searchPath() {
        return this == KEEL ? "/api/v1/runs/search" : "/api/2.0/mlflow/runs/search";
    }

    String historyPath(String runId, String key, int maxResults) {
        return this == KEEL
                ? "/api/v1/runs/" + runId + "/metrics/" + key + "/history?max_results=" + maxResults
                : "/api/2.0/mlflow/metrics/get-history?run_id=" + runId + "&metric_key="
                + URLEncoder.encode(key, StandardCharsets.UTF_8) + "&max_results=" + maxResults;
    }

    /** A search body: the same fields on both protocols. */
    String searchBody(String experimentId, String filter, String orderBy, int maxResults) {
        return "{\"experiment_ids\":[\"" + experimentId + "\"],\"filter\":\"" + filter.replace("\"", "\\\"")
                + "\",\"order_by\":[\"" + orderBy + "\"],\"max_results\":" + maxResults + "}";
    }
}
