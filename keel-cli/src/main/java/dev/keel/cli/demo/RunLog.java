package dev.keel.cli.demo;

import dev.keel.api.Tag;
import dev.keel.api.tracking.LogBatch;
import dev.keel.api.tracking.RunStatus;
import dev.keel.core.ArtifactPath;

import java.util.List;

/**
 * What the demo does with a run, whichever protocol carries it: Keel's own service, or
 * MLflow's REST API as MLflow's clients speak it. Both land in the same store, which is the
 * point the demo makes.
 */
sealed interface RunLog permits ServiceRunLog, MlflowRestRunLog {

    /** Starts a run in the experiment and returns its id. */
    String start(String experimentId, String runName, long startTime, List<Tag> tags);

    void log(String runId, LogBatch batch);

    void upload(String runId, ArtifactPath path, byte[] content);

    void end(String runId, RunStatus status, long endTime);

    /** How this log reaches Keel, for the progress display. */
    String protocol();
}
