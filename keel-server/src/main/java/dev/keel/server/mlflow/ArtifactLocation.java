package dev.keel.server.mlflow;

import dev.keel.core.ArtifactPath;
import dev.keel.core.Ids;
import dev.keel.core.KeelException;

/**
 * Where a path of MLflow's artifact proxy points: {@code <experiment_id>/<run_id>/artifacts/<file>},
 * the shape of the {@code mlflow-artifacts:/…} URIs Keel hands out with its runs.
 */
record ArtifactLocation(String experimentId, String runId, ArtifactPath path) {

    static ArtifactLocation parse(String proxyPath) {
        String value = proxyPath == null ? "" : proxyPath;
        while (value.startsWith("/")) {
            value = value.substring(1);
        }
        String[] parts = value.split("/", 4);
        if (parts.length < 3 || !Ids.isExperimentId(parts[0]) || !parts[2].equals("artifacts")) {
            throw KeelException.invalid("artifact path '" + proxyPath + "' must look like "
                    + "<experiment_id>/<run_id>/artifacts[/<path>], as in the artifact_uri of a run");
        }
        return new ArtifactLocation(parts[0], MlflowRequest.runId(parts[1]),
                ArtifactPath.of(parts.length == 4 ? parts[3] : ""));
    }
}
