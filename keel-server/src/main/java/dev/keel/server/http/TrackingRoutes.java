package dev.keel.server.http;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.keel.api.Tag;
import dev.keel.api.http.TrackingBodies.ArtifactListing;
import dev.keel.api.tracking.ExperimentSearch;
import dev.keel.api.tracking.Metric;
import dev.keel.api.tracking.TrackingService;
import dev.keel.api.tracking.ViewType;
import dev.keel.core.ArtifactPath;
import dev.keel.core.Page;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import static dev.keel.api.http.TrackingApi.*;

/**
 * The native REST API of experiment tracking ({@link dev.keel.api.http.TrackingApi}): each
 * route calls one {@link TrackingService} method with what the request says and renders the
 * result. No rule lives here.
 */
public record TrackingRoutes(TrackingService tracking) {

    public List<Route> routes(RouteBinder bind) {
        return List.of(
                // experiments
                bind.answer(CREATE_EXPERIMENT, x -> tracking.createExperiment(x.actor(), x.body())),
                bind.answer(SEARCH_EXPERIMENTS, x -> tracking.searchExperiments(x.actor(), new ExperimentSearch(
                        x.query("filter"), x.enumeration("view_type", ViewType.class), x.integer("max_results", 0),
                        x.queries("order_by"), x.query("page_token")))),
                bind.answer(GET_EXPERIMENT_BY_NAME, x -> tracking.getExperimentByName(x.actor(), x.query("name"))),
                bind.answer(GET_EXPERIMENT, x -> tracking.getExperiment(x.actor(), x.path("experiment_id"))),
                bind.perform(RENAME_EXPERIMENT, x -> tracking.renameExperiment(x.actor(), x.path("experiment_id"),
                        x.body().name())),
                bind.perform(DELETE_EXPERIMENT, x -> tracking.deleteExperiment(x.actor(), x.path("experiment_id"))),
                bind.perform(RESTORE_EXPERIMENT, x -> tracking.restoreExperiment(x.actor(), x.path("experiment_id"))),
                bind.perform(SET_EXPERIMENT_TAG, x -> tracking.setExperimentTag(x.actor(), x.path("experiment_id"),
                        new Tag(x.path("key"), x.body().value()))),
                bind.perform(DELETE_EXPERIMENT_TAG, x -> tracking.deleteExperimentTag(x.actor(), x.path("experiment_id"),
                        x.path("key"))),

                // runs
                bind.answer(CREATE_RUN, x -> tracking.createRun(x.actor(), x.body())),
                bind.answer(SEARCH_RUNS, x -> tracking.searchRuns(x.actor(), x.body())),
                bind.answer(GET_RUN, x -> tracking.getRun(x.actor(), x.path("run_id"))),
                bind.answer(UPDATE_RUN, x -> tracking.updateRun(x.actor(), x.path("run_id"), x.body())),
                bind.perform(DELETE_RUN, x -> tracking.deleteRun(x.actor(), x.path("run_id"))),
                bind.perform(RESTORE_RUN, x -> tracking.restoreRun(x.actor(), x.path("run_id"))),
                bind.perform(LOG_METRIC, x -> tracking.logMetric(x.actor(), x.path("run_id"), x.body().toMetric(""))),
                bind.perform(LOG_PARAM, x -> tracking.logParam(x.actor(), x.path("run_id"), x.body())),
                bind.perform(SET_TAG, x -> tracking.setTag(x.actor(), x.path("run_id"), new Tag(x.path("key"), x.body().value()))),
                bind.perform(DELETE_TAG, x -> tracking.deleteTag(x.actor(), x.path("run_id"), x.path("key"))),
                bind.perform(LOG_BATCH, x -> tracking.logBatch(x.actor(), x.path("run_id"), x.body().toBatch())),
                bind.perform(LOG_INPUTS, x -> tracking.logInputs(x.actor(), x.path("run_id"), x.body().datasets())),
                bind.perform(LOG_MODEL, x -> tracking.logModel(x.actor(), x.path("run_id"), x.body().modelJson())),
                bind.handle(METRIC_HISTORY, x -> metricHistory(x, bind.json())),

                // artifacts
                bind.answer(LIST_ARTIFACTS, x -> new ArtifactListing(tracking.listArtifacts(x.actor(), x.path("run_id"),
                        ArtifactPath.of(x.query("path"))))),
                bind.perform(LOG_ARTIFACT, x -> tracking.logArtifact(x.actor(), x.path("run_id"), ArtifactPath.of(x.path("path")),
                        x.context().bodyInputStream())),
                bind.handle(OPEN_ARTIFACT, this::downloadArtifact),
                bind.perform(DELETE_ARTIFACT, x -> tracking.deleteArtifact(x.actor(), x.path("run_id"),
                        ArtifactPath.of(x.path("path")))));
    }

    /** Written point by point with the streaming generator: a long history never becomes one big string. */
    private void metricHistory(Exchange<Void> x, JsonBodies json) throws IOException {
        Page<Metric> page = tracking.getMetricHistory(x.actor(), x.path("run_id"), x.path("key"),
                x.integer("max_results", 0), x.query("page_token"));
        StreamedAnswer.write(x.context(), JsonBodies.JSON, "the history of metric '" + x.path("key") + "'", body -> {
            JsonGenerator out = json.mapper().getFactory().createGenerator(body);
            out.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            out.writeStartObject();
            out.writeFieldName("items");
            StreamedAnswer.points(out, page.items());
            out.writeStringField("next_page_token", page.nextPageToken());
            out.writeEndObject();
            out.close();
        });
    }

    private void downloadArtifact(Exchange<Void> x) throws IOException {
        InputStream content = tracking.openArtifact(x.actor(), x.path("run_id"), ArtifactPath.of(x.path("path")));
        StreamedAnswer.bytes(x.context(), content, "download of artifact '" + x.path("path") + "' of run " + x.path("run_id"));
    }
}
