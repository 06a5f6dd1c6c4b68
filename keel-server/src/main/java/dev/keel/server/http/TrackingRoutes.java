package dev.keel.server.http;

import dev.keel.api.Tag;
import dev.keel.api.tracking.Experiment;
import dev.keel.api.tracking.ExperimentSearch;
import dev.keel.api.tracking.Metric;
import dev.keel.api.tracking.NewExperiment;
import dev.keel.api.tracking.NewRun;
import dev.keel.api.tracking.Param;
import dev.keel.api.tracking.Run;
import dev.keel.api.tracking.RunInfo;
import dev.keel.api.tracking.RunSearch;
import dev.keel.api.tracking.RunUpdate;
import dev.keel.api.tracking.TrackingService;
import dev.keel.api.tracking.ViewType;
import dev.keel.core.ArtifactPath;
import dev.keel.core.Page;
import dev.keel.server.http.NativeBodies.ArtifactListing;
import dev.keel.server.http.NativeBodies.ExperimentRename;
import dev.keel.server.http.NativeBodies.InputsBody;
import dev.keel.server.http.NativeBodies.LogBatchBody;
import dev.keel.server.http.NativeBodies.LoggedModelBody;
import dev.keel.server.http.NativeBodies.MetricBody;
import dev.keel.server.http.NativeBodies.TagValue;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.type.TypeFactory;
import io.javalin.http.Context;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;
import java.util.List;

/**
 * The native REST API of experiment tracking, under {@code /api/v1}: each route parses its
 * input, calls one {@link TrackingService} method and renders the result. No rule lives here.
 */
public final class TrackingRoutes {
    private static final Logger log = LoggerFactory.getLogger(TrackingRoutes.class);
    private static final String EXPERIMENT = "/api/v1/experiments/{experiment_id}";
    private static final String RUN = "/api/v1/runs/{run_id}";

    private final TrackingService tracking;
    private final JsonBodies json;
    private final RequestActor actors;

    public TrackingRoutes(TrackingService tracking, JsonBodies json, RequestActor actors) {
        this.tracking = tracking;
        this.json = json;
        this.actors = actors;
    }

    public List<Route> routes() {
        return List.of(
                // experiments; "by-name" comes before "{experiment_id}" so that it is matched first
                Route.post("/api/v1/experiments", "Create an experiment")
                        .accepts(NewExperiment.class).returns(201, Experiment.class)
                        .handledBy(ctx -> json.write(ctx, 201,
                                tracking.createExperiment(actors.of(ctx), json.read(ctx, NewExperiment.class)))),
                Route.get("/api/v1/experiments", "Search experiments")
                        .query(QueryParameter.of("filter", String.class, "filter on name, times and tags, e.g. name LIKE 'credit%'"))
                        .query(QueryParameter.of("view_type", ViewType.class, "ACTIVE_ONLY (default), DELETED_ONLY or ALL"))
                        .query(QueryParameter.of("max_results", Integer.class, "page size"))
                        .query(QueryParameter.repeated("order_by", String.class, "e.g. name ASC, creation_time DESC"))
                        .query(QueryParameter.of("page_token", String.class, "from the previous page's next_page_token"))
                        .returns(page(Experiment.class))
                        .handledBy(this::searchExperiments),
                Route.get("/api/v1/experiments/by-name", "Get an experiment by its name")
                        .query(QueryParameter.of("name", String.class, "the experiment's exact name"))
                        .returns(Experiment.class)
                        .handledBy(ctx -> json.write(ctx, 200,
                                tracking.getExperimentByName(actors.of(ctx), Queries.text(ctx, "name")))),
                Route.get(EXPERIMENT, "Get an experiment")
                        .returns(Experiment.class)
                        .handledBy(ctx -> json.write(ctx, 200,
                                tracking.getExperiment(actors.of(ctx), ctx.pathParam("experiment_id")))),
                Route.patch(EXPERIMENT, "Rename an experiment")
                        .accepts(ExperimentRename.class)
                        .handledBy(ctx -> noContent(ctx, () -> tracking.renameExperiment(actors.of(ctx),
                                ctx.pathParam("experiment_id"), json.read(ctx, ExperimentRename.class).name()))),
                Route.delete(EXPERIMENT, "Delete an experiment (it can be restored)")
                        .handledBy(ctx -> noContent(ctx, () -> tracking.deleteExperiment(actors.of(ctx), ctx.pathParam("experiment_id")))),
                Route.post(EXPERIMENT + "/restore", "Restore a deleted experiment")
                        .handledBy(ctx -> noContent(ctx, () -> tracking.restoreExperiment(actors.of(ctx), ctx.pathParam("experiment_id")))),
                Route.put(EXPERIMENT + "/tags/<key>", "Set an experiment tag")
                        .accepts(TagValue.class)
                        .handledBy(ctx -> noContent(ctx, () -> tracking.setExperimentTag(actors.of(ctx), ctx.pathParam("experiment_id"),
                                new Tag(ctx.pathParam("key"), json.read(ctx, TagValue.class).value())))),
                Route.delete(EXPERIMENT + "/tags/<key>", "Delete an experiment tag")
                        .handledBy(ctx -> noContent(ctx, () -> tracking.deleteExperimentTag(actors.of(ctx),
                                ctx.pathParam("experiment_id"), ctx.pathParam("key")))),

                // runs; "search" comes before "{run_id}"
                Route.post("/api/v1/runs", "Start a run")
                        .accepts(NewRun.class).returns(201, Run.class)
                        .handledBy(ctx -> json.write(ctx, 201, tracking.createRun(actors.of(ctx), json.read(ctx, NewRun.class)))),
                Route.post("/api/v1/runs/search", "Search runs across experiments (MLflow's filter grammar)")
                        .accepts(RunSearch.class).returns(page(Run.class))
                        .handledBy(ctx -> json.write(ctx, 200, tracking.searchRuns(actors.of(ctx), json.read(ctx, RunSearch.class)))),
                Route.get(RUN, "Get a run with its params, tags and the latest value of each metric")
                        .returns(Run.class)
                        .handledBy(ctx -> json.write(ctx, 200, tracking.getRun(actors.of(ctx), ctx.pathParam("run_id")))),
                Route.patch(RUN, "Update a run's status, end time or name")
                        .accepts(RunUpdate.class).returns(RunInfo.class)
                        .handledBy(ctx -> json.write(ctx, 200,
                                tracking.updateRun(actors.of(ctx), ctx.pathParam("run_id"), json.read(ctx, RunUpdate.class)))),
                Route.delete(RUN, "Delete a run (it can be restored)")
                        .handledBy(ctx -> noContent(ctx, () -> tracking.deleteRun(actors.of(ctx), ctx.pathParam("run_id")))),
                Route.post(RUN + "/restore", "Restore a deleted run")
                        .handledBy(ctx -> noContent(ctx, () -> tracking.restoreRun(actors.of(ctx), ctx.pathParam("run_id")))),
                Route.post(RUN + "/metrics", "Log one metric point")
                        .accepts(MetricBody.class)
                        .handledBy(ctx -> noContent(ctx, () -> tracking.logMetric(actors.of(ctx), ctx.pathParam("run_id"),
                                json.read(ctx, MetricBody.class).toMetric("")))),
                Route.post(RUN + "/params", "Log a param (immutable once logged)")
                        .accepts(Param.class)
                        .handledBy(ctx -> noContent(ctx, () -> tracking.logParam(actors.of(ctx), ctx.pathParam("run_id"),
                                json.read(ctx, Param.class)))),
                Route.put(RUN + "/tags/<key>", "Set a run tag")
                        .accepts(TagValue.class)
                        .handledBy(ctx -> noContent(ctx, () -> tracking.setTag(actors.of(ctx), ctx.pathParam("run_id"),
                                new Tag(ctx.pathParam("key"), json.read(ctx, TagValue.class).value())))),
                Route.delete(RUN + "/tags/<key>", "Delete a run tag")
                        .handledBy(ctx -> noContent(ctx, () -> tracking.deleteTag(actors.of(ctx), ctx.pathParam("run_id"), ctx.pathParam("key")))),
                Route.post(RUN + "/batch", "Log metrics, params and tags at once: all of them are stored, or none")
                        .accepts(LogBatchBody.class)
                        .handledBy(ctx -> noContent(ctx, () -> tracking.logBatch(actors.of(ctx), ctx.pathParam("run_id"),
                                json.read(ctx, LogBatchBody.class).toBatch()))),
                Route.post(RUN + "/inputs", "Record datasets as inputs of the run: all of them, or none")
                        .accepts(InputsBody.class)
                        .handledBy(ctx -> noContent(ctx, () -> tracking.logInputs(actors.of(ctx), ctx.pathParam("run_id"),
                                json.read(ctx, InputsBody.class).datasets()))),
                Route.post(RUN + "/models", "Append a logged model's description to the run's mlflow.log-model.history tag")
                        .accepts(LoggedModelBody.class)
                        .handledBy(ctx -> noContent(ctx, () -> tracking.logModel(actors.of(ctx), ctx.pathParam("run_id"),
                                json.read(ctx, LoggedModelBody.class).modelJson()))),
                Route.get(RUN + "/metrics/<key>/history", "Every point of one metric, ordered by step, then timestamp")
                        .query(QueryParameter.of("max_results", Integer.class, "page size"))
                        .query(QueryParameter.of("page_token", String.class, "from the previous page's next_page_token"))
                        .returns(page(Metric.class))
                        .handledBy(this::metricHistory),

                // artifacts
                Route.get(RUN + "/artifacts", "List the direct children of a directory of the run's artifacts")
                        .query(QueryParameter.of("path", String.class, "the directory; the root when absent"))
                        .returns(ArtifactListing.class)
                        .handledBy(ctx -> json.write(ctx, 200, new ArtifactListing(tracking.listArtifacts(actors.of(ctx),
                                ctx.pathParam("run_id"), ArtifactPath.of(Queries.text(ctx, "path")))))),
                Route.put(RUN + "/artifacts/<path>", "Upload an artifact (streamed; replaces a file already there)")
                        .acceptsBinary()
                        .handledBy(ctx -> noContent(ctx, () -> tracking.logArtifact(actors.of(ctx), ctx.pathParam("run_id"),
                                ArtifactPath.of(ctx.pathParam("path")), ctx.bodyInputStream()))),
                Route.get(RUN + "/artifacts/<path>", "Download an artifact (streamed)")
                        .returnsBinary()
                        .handledBy(this::downloadArtifact),
                Route.delete(RUN + "/artifacts/<path>", "Delete an artifact file, or a directory with everything under it")
                        .handledBy(ctx -> noContent(ctx, () -> tracking.deleteArtifact(actors.of(ctx), ctx.pathParam("run_id"),
                                ArtifactPath.of(ctx.pathParam("path"))))));
    }

    private static Type page(Class<?> item) {
        return TypeFactory.defaultInstance().constructParametricType(Page.class, item);
    }

    private static void noContent(Context ctx, Runnable call) {
        call.run();
        ctx.status(204);
    }

    private void searchExperiments(Context ctx) {
        ExperimentSearch search = new ExperimentSearch(Queries.text(ctx, "filter"),
                Queries.enumeration(ctx, "view_type", ViewType.class), Queries.integer(ctx, "max_results", 0),
                Queries.texts(ctx, "order_by"), Queries.text(ctx, "page_token"));
        json.write(ctx, 200, tracking.searchExperiments(actors.of(ctx), search));
    }

    /** Written point by point with the streaming generator: a long history never becomes one big string. */
    private void metricHistory(Context ctx) throws IOException {
        Page<Metric> page = tracking.getMetricHistory(actors.of(ctx), ctx.pathParam("run_id"), ctx.pathParam("key"),
                Queries.integer(ctx, "max_results", 0), Queries.text(ctx, "page_token"));
        ctx.status(200).contentType(JsonBodies.JSON);
        JsonGenerator out = json.mapper().getFactory().createGenerator(ctx.outputStream());
        out.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        out.writeStartObject();
        out.writeArrayFieldStart("items");
        for (Metric point : page.items()) {
            out.writeStartObject();
            out.writeStringField("key", point.key());
            out.writeNumberField("value", point.value());
            out.writeNumberField("timestamp", point.timestamp());
            out.writeNumberField("step", point.step());
            out.writeEndObject();
        }
        out.writeEndArray();
        out.writeStringField("next_page_token", page.nextPageToken());
        out.writeEndObject();
        out.close();
    }

    private void downloadArtifact(Context ctx) throws IOException {
        InputStream content = tracking.openArtifact(actors.of(ctx), ctx.pathParam("run_id"), ArtifactPath.of(ctx.pathParam("path")));
        ctx.status(200).contentType("application/octet-stream");
        try (content) {
            content.transferTo(ctx.outputStream());
        } catch (RuntimeException | IOException e) {
            if (!ctx.res().isCommitted()) {
                throw e;
            }
            // The status is sent; aborting the connection is the only way left to tell the client
            // that the bytes it got are not the artifact (e.g. its digest no longer matches).
            log.error("download of artifact '{}' of run {} failed after the response started", ctx.pathParam("path"),
                    ctx.pathParam("run_id"), e);
            ServletContextRequest.getServletContextRequest(ctx.req()).getServletChannel().abort(e);
        }
    }
}
