package dev.keel.client;

import dev.keel.api.Tag;
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
import com.fasterxml.jackson.databind.JavaType;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import static dev.keel.client.UriPaths.pair;
import static dev.keel.client.UriPaths.query;
import static dev.keel.client.UriPaths.segment;
import static dev.keel.client.UriPaths.segments;

/**
 * {@link TrackingService} over a Keel server's native REST API. It behaves as the embedded
 * service does — the same contract suite runs against both — and every failure arrives as the
 * {@link dev.keel.core.KeelException} the server raised.
 *
 * <p>The {@code actor} argument is not sent: the server decides who a request acts as (until
 * authentication arrives, the actor it was started with).
 */
public final class RemoteTrackingService implements TrackingService {
    private static final String EXPERIMENTS = "/api/v1/experiments";
    private static final String RUNS = "/api/v1/runs";

    /** The names a null or blank id is reported under: the embedded service's own words. */
    private static final String EXPERIMENT_ID = "experiment_id";
    private static final String RUN_ID = "run_id";

    private final KeelConnection server;
    private final JavaType experimentPage;
    private final JavaType runPage;
    private final JavaType metricPage;

    RemoteTrackingService(KeelConnection server) {
        this.server = server;
        this.experimentPage = server.mapper().getTypeFactory().constructParametricType(Page.class, Experiment.class);
        this.runPage = server.mapper().getTypeFactory().constructParametricType(Page.class, Run.class);
        this.metricPage = server.mapper().getTypeFactory().constructParametricType(Page.class, Metric.class);
    }

    /** The answer of {@code GET /api/v1/runs/{id}/artifacts}. */
    private record ArtifactListing(List<ArtifactEntry> files) {
    }

    /** The bodies whose other fields travel in the path. */
    private record ExperimentRename(String name) {
    }

    private record TagValue(String value) {
    }

    private record InputsBody(List<DatasetInput> datasets) {
    }

    private record LoggedModelBody(String modelJson) {
    }

    // experiments

    @Override
    public Experiment createExperiment(Actor actor, NewExperiment request) {
        return server.exchange("POST", EXPERIMENTS, required("request", request), Experiment.class);
    }

    @Override
    public Experiment getExperiment(Actor actor, String experimentId) {
        return server.exchange("GET", experiment(experimentId), null, Experiment.class);
    }

    @Override
    public Experiment getExperimentByName(Actor actor, String name) {
        return server.exchange("GET", EXPERIMENTS + "/by-name" + query(List.<String[]>of(pair("name", name))), null, Experiment.class);
    }

    @Override
    public Page<Experiment> searchExperiments(Actor actor, ExperimentSearch search) {
        Checks.requireNonNull("search", search);
        List<String[]> params = new ArrayList<>();
        params.add(pair("filter", search.filter()));
        params.add(pair("view_type", search.viewType()));
        params.add(pair("max_results", search.maxResults()));
        for (String clause : search.orderBy()) {
            params.add(pair("order_by", clause));
        }
        params.add(pair("page_token", search.pageToken()));
        return server.exchange("GET", EXPERIMENTS + query(params), null, experimentPage);
    }

    @Override
    public void renameExperiment(Actor actor, String experimentId, String newName) {
        server.exchange("PATCH", experiment(experimentId), new ExperimentRename(newName), (Class<?>) null);
    }

    @Override
    public void deleteExperiment(Actor actor, String experimentId) {
        server.exchange("DELETE", experiment(experimentId), null, (Class<?>) null);
    }

    @Override
    public void restoreExperiment(Actor actor, String experimentId) {
        server.exchange("POST", experiment(experimentId) + "/restore", null, (Class<?>) null);
    }

    @Override
    public void setExperimentTag(Actor actor, String experimentId, Tag tag) {
        Checks.requireNonNull("tag", tag);
        server.exchange("PUT", experiment(experimentId) + "/tags/" + segments("tag key", tag.key()),
                new TagValue(tag.value()), (Class<?>) null);
    }

    @Override
    public void deleteExperimentTag(Actor actor, String experimentId, String key) {
        server.exchange("DELETE", experiment(experimentId) + "/tags/" + segments("tag key", key), null, (Class<?>) null);
    }

    // runs

    @Override
    public Run createRun(Actor actor, NewRun request) {
        return server.exchange("POST", RUNS, required("request", request), Run.class);
    }

    @Override
    public Run getRun(Actor actor, String runId) {
        return server.exchange("GET", run(runId), null, Run.class);
    }

    @Override
    public RunInfo updateRun(Actor actor, String runId, RunUpdate update) {
        return server.exchange("PATCH", run(runId), required("update", update), RunInfo.class);
    }

    @Override
    public void deleteRun(Actor actor, String runId) {
        server.exchange("DELETE", run(runId), null, (Class<?>) null);
    }

    @Override
    public void restoreRun(Actor actor, String runId) {
        server.exchange("POST", run(runId) + "/restore", null, (Class<?>) null);
    }

    @Override
    public Page<Run> searchRuns(Actor actor, RunSearch search) {
        return server.exchange("POST", RUNS + "/search", required("search", search), runPage);
    }

    // what a run records

    @Override
    public void logMetric(Actor actor, String runId, Metric metric) {
        server.exchange("POST", run(runId) + "/metrics", required("metric", metric), (Class<?>) null);
    }

    @Override
    public void logParam(Actor actor, String runId, Param param) {
        server.exchange("POST", run(runId) + "/params", required("param", param), (Class<?>) null);
    }

    @Override
    public void setTag(Actor actor, String runId, Tag tag) {
        Checks.requireNonNull("tag", tag);
        server.exchange("PUT", run(runId) + "/tags/" + segments("tag key", tag.key()), new TagValue(tag.value()), (Class<?>) null);
    }

    @Override
    public void deleteTag(Actor actor, String runId, String key) {
        server.exchange("DELETE", run(runId) + "/tags/" + segments("tag key", key), null, (Class<?>) null);
    }

    @Override
    public void logBatch(Actor actor, String runId, LogBatch batch) {
        server.exchange("POST", run(runId) + "/batch", required("batch", batch), (Class<?>) null);
    }

    @Override
    public Page<Metric> getMetricHistory(Actor actor, String runId, String key, int maxResults, String pageToken) {
        return server.exchange("GET", run(runId) + "/metrics/" + segments("metric_key", key) + "/history"
                + query(List.<String[]>of(pair("max_results", maxResults), pair("page_token", pageToken))), null, metricPage);
    }

    @Override
    public void logInputs(Actor actor, String runId, List<DatasetInput> inputs) {
        server.exchange("POST", run(runId) + "/inputs", new InputsBody(required("datasets", inputs)), (Class<?>) null);
    }

    @Override
    public void logModel(Actor actor, String runId, String modelJson) {
        server.exchange("POST", run(runId) + "/models", new LoggedModelBody(Checks.requireNonBlank("model_json", modelJson)),
                (Class<?>) null);
    }

    // artifacts

    @Override
    public void logArtifact(Actor actor, String runId, ArtifactPath path, InputStream content) {
        Checks.requireNonNull("path", path);
        Checks.requireNonNull("content", content);
        server.upload(run(runId) + "/artifacts/" + segments("path", path.value()), content);
    }

    @Override
    public InputStream openArtifact(Actor actor, String runId, ArtifactPath path) {
        Checks.requireNonNull("path", path);
        return server.download(run(runId) + "/artifacts/" + segments("path", path.value()));
    }

    @Override
    public List<ArtifactEntry> listArtifacts(Actor actor, String runId, ArtifactPath directory) {
        String path = directory == null || directory.isRoot() ? null : directory.value();
        return server.exchange("GET", run(runId) + "/artifacts" + query(List.<String[]>of(pair("path", path))), null,
                ArtifactListing.class).files();
    }

    @Override
    public void deleteArtifact(Actor actor, String runId, ArtifactPath path) {
        Checks.requireNonNull("path", path);
        server.exchange("DELETE", run(runId) + "/artifacts/" + segments("path", path.value()), null, (Class<?>) null);
    }

    private static String experiment(String experimentId) {
        return EXPERIMENTS + "/" + segment(EXPERIMENT_ID, experimentId);
    }

    private static String run(String runId) {
        return RUNS + "/" + segment(RUN_ID, runId);
    }

    /** A missing argument is refused here, in the embedded service's words, since JSON cannot carry it. */
    private static <T> T required(String field, T value) {
        return Checks.requireNonNull(field, value);
    }
}
