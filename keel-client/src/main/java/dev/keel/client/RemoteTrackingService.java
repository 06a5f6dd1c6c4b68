package dev.keel.client;

import dev.keel.api.Tag;
import dev.keel.api.http.TagValue;
import dev.keel.api.http.TrackingApi;
import dev.keel.api.http.TrackingBodies.ExperimentRename;
import dev.keel.api.http.TrackingBodies.InputsBody;
import dev.keel.api.http.TrackingBodies.LogBatchBody;
import dev.keel.api.http.TrackingBodies.LoggedModelBody;
import dev.keel.api.http.TrackingBodies.MetricBody;
import dev.keel.api.tracking.ArtifactEntry;
import dev.keel.api.tracking.DatasetInput;
import dev.keel.api.tracking.Experiment;
import dev.keel.api.tracking.ExperimentSearch;
import dev.keel.api.tracking.LogBatch;
import dev.keel.api.tracking.Metric;
import dev.keel.api.tracking.NewExperiment;
import dev.keel.api.tracking.NewRun;
import dev.keel.api.tracking.Param;
import dev.keel.api.tracking.Run;
import dev.keel.api.tracking.RunInfo;
import dev.keel.api.tracking.RunSearch;
import dev.keel.api.tracking.RunUpdate;
import dev.keel.api.tracking.TrackingService;
import dev.keel.core.Actor;
import dev.keel.core.ArtifactPath;
import dev.keel.core.Checks;
import dev.keel.core.Page;

import java.io.InputStream;
import java.util.List;

import static dev.keel.api.http.TrackingApi.*;

/**
 * {@link TrackingService} over a Keel server's native REST API ({@link TrackingApi}). It behaves
 * as the embedded service does — the same contract suite runs against both — and every failure
 * arrives as the {@link dev.keel.core.KeelException} the server raised.
 *
 * <p>The {@code actor} argument is not sent: the server decides who a request acts as.
 */
record RemoteTrackingService(KeelConnection server) implements TrackingService {
    // experiments

    @Override
    public Experiment createExperiment(Actor actor, NewExperiment request) {
        return server.send(CREATE_EXPERIMENT.at().with(required("request", request)));
    }

    @Override
    public Experiment getExperiment(Actor actor, String experimentId) {
        return server.send(GET_EXPERIMENT.at(experimentId));
    }

    @Override
    public Experiment getExperimentByName(Actor actor, String name) {
        return server.send(GET_EXPERIMENT_BY_NAME.at().query("name", name));
    }

    @Override
    public Page<Experiment> searchExperiments(Actor actor, ExperimentSearch search) {
        Checks.requireNonNull("search", search);
        return server.send(SEARCH_EXPERIMENTS.at().query("filter", search.filter()).query("view_type", search.viewType())
                .query("max_results", search.maxResults()).query("order_by", search.orderBy())
                .query("page_token", search.pageToken()));
    }

    @Override
    public void renameExperiment(Actor actor, String experimentId, String newName) {
        server.send(RENAME_EXPERIMENT.at(experimentId).with(new ExperimentRename(newName)));
    }

    @Override
    public void deleteExperiment(Actor actor, String experimentId) {
        server.send(DELETE_EXPERIMENT.at(experimentId));
    }

    @Override
    public void restoreExperiment(Actor actor, String experimentId) {
        server.send(RESTORE_EXPERIMENT.at(experimentId));
    }

    @Override
    public void setExperimentTag(Actor actor, String experimentId, Tag tag) {
        Checks.requireNonNull("tag", tag);
        server.send(SET_EXPERIMENT_TAG.at(experimentId, tag.key()).with(new TagValue(tag.value())));
    }

    @Override
    public void deleteExperimentTag(Actor actor, String experimentId, String key) {
        server.send(DELETE_EXPERIMENT_TAG.at(experimentId, Checks.requireNonBlank("tag key", key)));
    }

    // runs

    @Override
    public Run createRun(Actor actor, NewRun request) {
        return server.send(CREATE_RUN.at().with(required("request", request)));
    }

    @Override
    public Run getRun(Actor actor, String runId) {
        return server.send(GET_RUN.at(runId));
    }

    @Override
    public RunInfo updateRun(Actor actor, String runId, RunUpdate update) {
        return server.send(UPDATE_RUN.at(runId).with(required("update", update)));
    }

    @Override
    public void deleteRun(Actor actor, String runId) {
        server.send(DELETE_RUN.at(runId));
    }

    @Override
    public void restoreRun(Actor actor, String runId) {
        server.send(RESTORE_RUN.at(runId));
    }

    @Override
    public Page<Run> searchRuns(Actor actor, RunSearch search) {
        return server.send(SEARCH_RUNS.at().with(required("search", search)));
    }

    // what a run records

    @Override
    public void logMetric(Actor actor, String runId, Metric metric) {
        server.send(LOG_METRIC.at(runId).with(MetricBody.of(required("metric", metric))));
    }

    @Override
    public void logParam(Actor actor, String runId, Param param) {
        server.send(LOG_PARAM.at(runId).with(required("param", param)));
    }

    @Override
    public void setTag(Actor actor, String runId, Tag tag) {
        Checks.requireNonNull("tag", tag);
        server.send(SET_TAG.at(runId, tag.key()).with(new TagValue(tag.value())));
    }

    @Override
    public void deleteTag(Actor actor, String runId, String key) {
        server.send(DELETE_TAG.at(runId, Checks.requireNonBlank("tag key", key)));
    }

    @Override
    public void logBatch(Actor actor, String runId, LogBatch batch) {
        server.send(LOG_BATCH.at(runId).with(LogBatchBody.of(required("batch", batch))));
    }

    @Override
    public Page<Metric> getMetricHistory(Actor actor, String runId, String key, int maxResults, String pageToken) {
        return server.send(METRIC_HISTORY.at(runId, key).query("max_results", maxResults).query("page_token", pageToken));
    }

    @Override
    public void logInputs(Actor actor, String runId, List<DatasetInput> inputs) {
        server.send(LOG_INPUTS.at(runId).with(new InputsBody(required("datasets", inputs))));
    }

    @Override
    public void logModel(Actor actor, String runId, String modelJson) {
        server.send(LOG_MODEL.at(runId).with(new LoggedModelBody(Checks.requireNonBlank("model_json", modelJson))));
    }

    // artifacts

    @Override
    public void logArtifact(Actor actor, String runId, ArtifactPath path, InputStream content) {
        Checks.requireNonNull("path", path);
        Checks.requireNonNull("content", content);
        server.upload(LOG_ARTIFACT.at(runId, path.value()), "application/octet-stream", content);
    }

    @Override
    public InputStream openArtifact(Actor actor, String runId, ArtifactPath path) {
        Checks.requireNonNull("path", path);
        return server.open(OPEN_ARTIFACT.at(runId, path.value())).body();
    }

    @Override
    public List<ArtifactEntry> listArtifacts(Actor actor, String runId, ArtifactPath directory) {
        String path = directory == null || directory.isRoot() ? null : directory.value();
        return server.send(LIST_ARTIFACTS.at(runId).query("path", path)).files();
    }

    @Override
    public void deleteArtifact(Actor actor, String runId, ArtifactPath path) {
        Checks.requireNonNull("path", path);
        server.send(DELETE_ARTIFACT.at(runId, path.value()));
    }

    /** A missing argument is refused here, in the embedded service's words, since JSON cannot carry it. */
    private static <T> T required(String field, T value) {
        return Checks.requireNonNull(field, value);
    }
}
