package dev.keel.api.tracking;

import dev.keel.api.Tag;
import dev.keel.core.Actor;
import dev.keel.core.ArtifactPath;
import dev.keel.core.Page;

import java.io.InputStream;
import java.util.List;

/**
 * Experiment tracking: experiments, runs, their params, metrics, tags and artifacts.
 *
 * <p>Two implementations answer this one contract: the embedded service over the local store
 * and the HTTP client over a Keel server; one contract test suite runs against both. Every
 * failure is a {@link dev.keel.core.KeelException} whose code says what went wrong.
 */
public interface TrackingService {

    // experiments

    Experiment createExperiment(Actor actor, NewExperiment request);

    Experiment getExperiment(Actor actor, String experimentId);

    Experiment getExperimentByName(Actor actor, String name);

    Page<Experiment> searchExperiments(Actor actor, ExperimentSearch search);

    void renameExperiment(Actor actor, String experimentId, String newName);

    void deleteExperiment(Actor actor, String experimentId);

    void restoreExperiment(Actor actor, String experimentId);

    void setExperimentTag(Actor actor, String experimentId, Tag tag);

    void deleteExperimentTag(Actor actor, String experimentId, String key);

    // runs

    Run createRun(Actor actor, NewRun request);

    Run getRun(Actor actor, String runId);

    RunInfo updateRun(Actor actor, String runId, RunUpdate update);

    void deleteRun(Actor actor, String runId);

    void restoreRun(Actor actor, String runId);

    Page<Run> searchRuns(Actor actor, RunSearch search);

    // what a run records

    void logMetric(Actor actor, String runId, Metric metric);

    void logParam(Actor actor, String runId, Param param);

    void setTag(Actor actor, String runId, Tag tag);

    void deleteTag(Actor actor, String runId, String key);

    /** Stores all of the batch or, when any part is refused, none of it. */
    void logBatch(Actor actor, String runId, LogBatch batch);

    /** Every point of one metric, ordered by step, then timestamp. */
    Page<Metric> getMetricHistory(Actor actor, String runId, String key, int maxResults, String pageToken);

    /**
     * Records datasets as inputs of the run, all or none. A dataset is identified within the
     * run's experiment by name and digest; one already recorded for the run keeps its tags.
     */
    void logInputs(Actor actor, String runId, List<DatasetInput> inputs);

    /**
     * Appends a logged model's description — one JSON object, as MLflow's clients write it — to
     * the JSON list in the run's {@code mlflow.log-model.history} tag, in one transaction.
     */
    void logModel(Actor actor, String runId, String modelJson);

    // artifacts

    /** Streams {@code content} into the artifact store under {@code path}, replacing a file already there. */
    void logArtifact(Actor actor, String runId, ArtifactPath path, InputStream content);

    /** Opens a stored artifact for streaming; the caller closes the stream. */
    InputStream openArtifact(Actor actor, String runId, ArtifactPath path);

    /** The direct children (files and directories) of {@code directory} in the run's artifact tree. */
    List<ArtifactEntry> listArtifacts(Actor actor, String runId, ArtifactPath directory);

    /** Removes the file at {@code path}, or the directory there with everything under it. */
    void deleteArtifact(Actor actor, String runId, ArtifactPath path);
}
