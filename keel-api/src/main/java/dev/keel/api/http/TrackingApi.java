package dev.keel.api.http;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.keel.api.http.TrackingBodies.ArtifactListing;
import dev.keel.api.http.TrackingBodies.ExperimentRename;
import dev.keel.api.http.TrackingBodies.InputsBody;
import dev.keel.api.http.TrackingBodies.LogBatchBody;
import dev.keel.api.http.TrackingBodies.LoggedModelBody;
import dev.keel.api.http.TrackingBodies.MetricBody;
import dev.keel.api.tracking.Experiment;
import dev.keel.api.tracking.Metric;
import dev.keel.api.tracking.NewExperiment;
import dev.keel.api.tracking.NewRun;
import dev.keel.api.tracking.Param;
import dev.keel.api.tracking.Run;
import dev.keel.api.tracking.RunInfo;
import dev.keel.api.tracking.RunSearch;
import dev.keel.api.tracking.RunUpdate;
import dev.keel.api.tracking.ViewType;
import dev.keel.core.Page;

import java.io.InputStream;

/**
 * Experiment tracking over HTTP, under {@code /api/v1}: one {@link Operation} per
 * {@link dev.keel.api.tracking.TrackingService} call. In registration order: "by-name" comes
 * before "{experiment_id}" and "search" before "{run_id}", so that they are matched first.
 */
public final class TrackingApi {
    private static final String EXPERIMENT = "/api/v1/experiments/{experiment_id}";
    private static final String RUN = "/api/v1/runs/{run_id}";

    private TrackingApi() {
    }

    // experiments

    public static final Operation<NewExperiment, Experiment> CREATE_EXPERIMENT =
            Operation.post("/api/v1/experiments", "Create an experiment")
                    .accepts(NewExperiment.class).returns(201, Experiment.class);

    public static final Operation<Void, Page<Experiment>> SEARCH_EXPERIMENTS =
            Operation.get("/api/v1/experiments", "Search experiments")
                    .query(QueryParameter.of("view_type", ViewType.class, "ACTIVE_ONLY (default), DELETED_ONLY or ALL"))
                    .searched("filter on name, times and tags, e.g. name LIKE 'credit%'", "page size",
                            "e.g. name ASC, creation_time DESC")
                    .returns(new TypeReference<Page<Experiment>>() { });

    public static final Operation<Void, Experiment> GET_EXPERIMENT_BY_NAME =
            Operation.get("/api/v1/experiments/by-name", "Get an experiment by its name")
                    .query(QueryParameter.of("name", String.class, "the experiment's exact name"))
                    .returns(Experiment.class);

    public static final Operation<Void, Experiment> GET_EXPERIMENT =
            Operation.get(EXPERIMENT, "Get an experiment").returns(Experiment.class);

    public static final Operation<ExperimentRename, Void> RENAME_EXPERIMENT =
            Operation.patch(EXPERIMENT, "Rename an experiment").accepts(ExperimentRename.class);

    public static final Operation<Void, Void> DELETE_EXPERIMENT =
            Operation.delete(EXPERIMENT, "Delete an experiment (it can be restored)");

    public static final Operation<Void, Void> RESTORE_EXPERIMENT =
            Operation.post(EXPERIMENT + "/restore", "Restore a deleted experiment");

    public static final Operation<TagValue, Void> SET_EXPERIMENT_TAG =
            Operation.put(EXPERIMENT + "/tags/<key>", "Set an experiment tag").accepts(TagValue.class);

    public static final Operation<Void, Void> DELETE_EXPERIMENT_TAG =
            Operation.delete(EXPERIMENT + "/tags/<key>", "Delete an experiment tag");

    // runs

    public static final Operation<NewRun, Run> CREATE_RUN =
            Operation.post("/api/v1/runs", "Start a run").accepts(NewRun.class).returns(201, Run.class);

    public static final Operation<RunSearch, Page<Run>> SEARCH_RUNS =
            Operation.post("/api/v1/runs/search", "Search runs across experiments (MLflow's filter grammar)")
                    .accepts(RunSearch.class).returns(new TypeReference<Page<Run>>() { });

    public static final Operation<Void, Run> GET_RUN =
            Operation.get(RUN, "Get a run with its params, tags and the latest value of each metric").returns(Run.class);

    public static final Operation<RunUpdate, RunInfo> UPDATE_RUN =
            Operation.patch(RUN, "Update a run's status, end time or name").accepts(RunUpdate.class).returns(RunInfo.class);

    public static final Operation<Void, Void> DELETE_RUN = Operation.delete(RUN, "Delete a run (it can be restored)");

    public static final Operation<Void, Void> RESTORE_RUN = Operation.post(RUN + "/restore", "Restore a deleted run");

    public static final Operation<MetricBody, Void> LOG_METRIC =
            Operation.post(RUN + "/metrics", "Log one metric point").accepts(MetricBody.class);

    public static final Operation<Param, Void> LOG_PARAM =
            Operation.post(RUN + "/params", "Log a param (immutable once logged)").accepts(Param.class);

    public static final Operation<TagValue, Void> SET_TAG =
            Operation.put(RUN + "/tags/<key>", "Set a run tag").accepts(TagValue.class);

    public static final Operation<Void, Void> DELETE_TAG = Operation.delete(RUN + "/tags/<key>", "Delete a run tag");

    public static final Operation<LogBatchBody, Void> LOG_BATCH =
            Operation.post(RUN + "/batch", "Log metrics, params and tags at once: all of them are stored, or none")
                    .accepts(LogBatchBody.class);

    public static final Operation<InputsBody, Void> LOG_INPUTS =
            Operation.post(RUN + "/inputs", "Record datasets as inputs of the run: all of them, or none")
                    .accepts(InputsBody.class);

    public static final Operation<LoggedModelBody, Void> LOG_MODEL =
            Operation.post(RUN + "/models", "Append a logged model's description to the run's mlflow.log-model.history tag")
                    .accepts(LoggedModelBody.class);

    public static final Operation<Void, Page<Metric>> METRIC_HISTORY =
            Operation.get(RUN + "/metrics/<key>/history", "Every point of one metric, ordered by step, then timestamp")
                    .paged("page size")
                    .returns(new TypeReference<Page<Metric>>() { });

    // artifacts

    public static final Operation<Void, ArtifactListing> LIST_ARTIFACTS =
            Operation.get(RUN + "/artifacts", "List the direct children of a directory of the run's artifacts")
                    .query(QueryParameter.of("path", String.class, "the directory; the root when absent"))
                    .returns(ArtifactListing.class);

    public static final Operation<InputStream, Void> LOG_ARTIFACT =
            Operation.put(RUN + "/artifacts/<path>", "Upload an artifact (streamed; replaces a file already there)")
                    .acceptsBinary();

    public static final Operation<Void, InputStream> OPEN_ARTIFACT =
            Operation.get(RUN + "/artifacts/<path>", "Download an artifact (streamed)").returnsBinary();

    public static final Operation<Void, Void> DELETE_ARTIFACT =
            Operation.delete(RUN + "/artifacts/<path>", "Delete an artifact file, or a directory with everything under it");
}
