package dev.keel.registry;

import dev.keel.core.ArtifactPath;
import dev.keel.core.Ids;
import dev.keel.core.KeelException;

/**
 * A model version's source inside a run's artifacts, as MLflow's clients write it:
 * {@code runs:/<run_id>/<path>} or {@code mlflow-artifacts:/<experiment_id>/<run_id>/artifacts/<path>}.
 * {@code experimentId} is null for the {@code runs:/} form.
 */
record RunArtifactSource(String experimentId, String runId, ArtifactPath path) {
    private static final String RUNS = "runs:/";
    private static final String PROXIED = "mlflow-artifacts:/";

    static RunArtifactSource parse(String source) {
        if (source.startsWith(RUNS)) {
            String rest = source.substring(RUNS.length());
            int slash = rest.indexOf('/');
            String runId = slash < 0 ? rest : rest.substring(0, slash);
            requireRunId(source, runId);
            return new RunArtifactSource(null, runId, ArtifactPath.of(slash < 0 ? "" : rest.substring(slash + 1)));
        }
        if (source.startsWith(PROXIED)) {
            String[] parts = source.substring(PROXIED.length()).split("/", 4);
            if (parts.length < 3 || !parts[2].equals("artifacts") || !Ids.isExperimentId(parts[0])) {
                throw unsupported(source);
            }
            requireRunId(source, parts[1]);
            return new RunArtifactSource(parts[0], parts[1], ArtifactPath.of(parts.length == 4 ? parts[3] : ""));
        }
        throw unsupported(source);
    }

    private static void requireRunId(String source, String runId) {
        if (!Ids.isRunId(runId)) {
            throw KeelException.invalid("'source' " + source + " names run '" + runId
                    + "'; a run id is 32 lowercase hex characters");
        }
    }

    private static KeelException unsupported(String source) {
        return KeelException.invalid("'source' must be runs:/<run_id>/<path> or "
                + "mlflow-artifacts:/<experiment_id>/<run_id>/artifacts/<path> (got '" + source + "')");
    }
}
