package dev.keel.server.mlflow;

import dev.keel.api.http.Operation;
import dev.keel.api.Tag;
import dev.keel.api.tracking.Dataset;
import dev.keel.api.tracking.DatasetInput;
import dev.keel.api.tracking.Experiment;
import dev.keel.api.tracking.ExperimentSearch;
import dev.keel.api.tracking.InputTag;
import dev.keel.api.tracking.LogBatch;
import dev.keel.api.tracking.Metric;
import dev.keel.api.tracking.NewExperiment;
import dev.keel.api.tracking.NewRun;
import dev.keel.api.tracking.Param;
import dev.keel.api.tracking.Run;
import dev.keel.api.tracking.RunSearch;
import dev.keel.api.tracking.RunStatus;
import dev.keel.api.tracking.RunUpdate;
import dev.keel.api.tracking.TrackingService;
import dev.keel.api.tracking.ViewType;
import dev.keel.core.ArtifactPath;
import dev.keel.core.KeelException;
import dev.keel.core.Page;
import dev.keel.server.http.JsonBodies;
import dev.keel.server.http.RequestActor;
import dev.keel.server.http.StreamedAnswer;
import dev.keel.server.http.Route;
import dev.keel.server.mlflow.MlflowShapes.CreateExperimentResponse;
import dev.keel.server.mlflow.MlflowShapes.Empty;
import dev.keel.server.mlflow.MlflowShapes.ExperimentJson;
import dev.keel.server.mlflow.MlflowShapes.ExperimentResponse;
import dev.keel.server.mlflow.MlflowShapes.FileInfoJson;
import dev.keel.server.mlflow.MlflowShapes.ListArtifactsResponse;
import dev.keel.server.mlflow.MlflowShapes.RunInfoJson;
import dev.keel.server.mlflow.MlflowShapes.RunJson;
import dev.keel.server.mlflow.MlflowShapes.RunResponse;
import dev.keel.server.mlflow.MlflowShapes.SearchExperimentsResponse;
import dev.keel.server.mlflow.MlflowShapes.SearchRunsResponse;
import dev.keel.server.mlflow.MlflowShapes.UpdateRunResponse;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * MLflow's tracking REST protocol ({@code service.proto}) under {@code /api/2.0/mlflow/} and
 * {@code /ajax-api/2.0/mlflow/}: each route reads MLflow's request message, calls one
 * {@link TrackingService} method and writes MLflow's response message. No rule lives here; the
 * service answers both protocols alike.
 */
public record MlflowTrackingRoutes(TrackingService tracking, JsonBodies json, RequestActor actors) {
    static final List<String> PREFIXES = List.of("/api/2.0/mlflow/", "/ajax-api/2.0/mlflow/");
    /** The fields MLflow requires of a logged model's description. */
    private static final List<String> MODEL_FIELDS = List.of("artifact_path", "flavors", "utc_time_created", "run_id");


    private interface Call {
        Object answer(Context ctx, MlflowRequest request) throws IOException;
    }

    public List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        // experiments
        post(routes, "experiments/create", (ctx, in) -> new CreateExperimentResponse(tracking.createExperiment(
                actors.of(ctx), new NewExperiment(in.requiredText("name"), in.text("artifact_location"), tags(in)))
                .experimentId()));
        get(routes, "experiments/get", (ctx, in) -> new ExperimentResponse(ExperimentJson.of(
                tracking.getExperiment(actors.of(ctx), in.experimentId("experiment_id")))));
        get(routes, "experiments/get-by-name", (ctx, in) -> new ExperimentResponse(ExperimentJson.of(
                tracking.getExperimentByName(actors.of(ctx), in.requiredText("experiment_name")))));
        post(routes, "experiments/search", this::searchExperiments);
        get(routes, "experiments/search", this::searchExperiments);
        post(routes, "experiments/update", (ctx, in) -> {
            tracking.renameExperiment(actors.of(ctx), in.experimentId("experiment_id"), in.requiredText("new_name"));
            return new Empty();
        });
        post(routes, "experiments/delete", (ctx, in) -> {
            tracking.deleteExperiment(actors.of(ctx), in.experimentId("experiment_id"));
            return new Empty();
        });
        post(routes, "experiments/restore", (ctx, in) -> {
            tracking.restoreExperiment(actors.of(ctx), in.experimentId("experiment_id"));
            return new Empty();
        });
        post(routes, "experiments/set-experiment-tag", (ctx, in) -> {
            tracking.setExperimentTag(actors.of(ctx), in.experimentId("experiment_id"),
                    new Tag(in.requiredText("key"), required(in, "value")));
            return new Empty();
        });
        post(routes, "experiments/delete-experiment-tag", (ctx, in) -> {
            tracking.deleteExperimentTag(actors.of(ctx), in.experimentId("experiment_id"), in.requiredText("key"));
            return new Empty();
        });

        // runs
        post(routes, "runs/create", (ctx, in) -> {
            String experimentId = in.text("experiment_id");
            NewRun request = new NewRun(experimentId == null || experimentId.isEmpty() ? null : experimentId,
                    in.text("user_id"), in.text("run_name"), in.int64("start_time"), tags(in));
            return new RunResponse(RunJson.of(tracking.createRun(actors.of(ctx), request)));
        });
        get(routes, "runs/get", (ctx, in) -> new RunResponse(RunJson.of(tracking.getRun(actors.of(ctx), in.runId()))));
        post(routes, "runs/update", (ctx, in) -> new UpdateRunResponse(RunInfoJson.of(tracking.updateRun(actors.of(ctx),
                in.runId(), new RunUpdate(in.enumeration("status", RunStatus.class), in.int64("end_time"),
                        in.text("run_name"))))));
        post(routes, "runs/delete", (ctx, in) -> {
            tracking.deleteRun(actors.of(ctx), in.runId());
            return new Empty();
        });
        post(routes, "runs/restore", (ctx, in) -> {
            tracking.restoreRun(actors.of(ctx), in.runId());
            return new Empty();
        });
        post(routes, "runs/search", (ctx, in) -> {
            RunSearch search = new RunSearch(in.texts("experiment_ids"), in.text("filter"),
                    in.enumeration("run_view_type", ViewType.class), in.int32("max_results", 0), in.texts("order_by"),
                    emptyAsNull(in.text("page_token")));
            Page<Run> page = tracking.searchRuns(actors.of(ctx), search);
            return new SearchRunsResponse(MlflowShapes.list(page.items(), RunJson::of), page.nextPageToken());
        });
        post(routes, "runs/log-metric", (ctx, in) -> {
            tracking.logMetric(actors.of(ctx), in.runId(), metric(in, ""));
            return new Empty();
        });
        post(routes, "runs/log-parameter", (ctx, in) -> {
            tracking.logParam(actors.of(ctx), in.runId(), new Param(in.requiredText("key"), required(in, "value")));
            return new Empty();
        });
        post(routes, "runs/set-tag", (ctx, in) -> {
            tracking.setTag(actors.of(ctx), in.runId(), new Tag(in.requiredText("key"), required(in, "value")));
            return new Empty();
        });
        post(routes, "runs/delete-tag", (ctx, in) -> {
            tracking.deleteTag(actors.of(ctx), in.runId(), in.requiredText("key"));
            return new Empty();
        });
        post(routes, "runs/log-batch", (ctx, in) -> {
            String runId = in.runId();
            List<MlflowRequest> metrics = in.messages("metrics");
            List<Metric> points = new ArrayList<>(metrics.size());
            for (int i = 0; i < metrics.size(); i++) {
                points.add(metric(metrics.get(i), "metrics[" + i + "]."));
            }
            List<Param> params = new ArrayList<>();
            for (MlflowRequest param : in.messages("params")) {
                params.add(new Param(param.requiredText("key"), required(param, "value")));
            }
            tracking.logBatch(actors.of(ctx), runId, new LogBatch(points, params, tags(in)));
            return new Empty();
        });
        post(routes, "runs/log-model", this::logModel);
        post(routes, "runs/log-inputs", (ctx, in) -> {
            String runId = in.runId();
            List<DatasetInput> inputs = new ArrayList<>();
            for (MlflowRequest input : in.messages("datasets")) {
                List<InputTag> tags = new ArrayList<>();
                for (MlflowRequest tag : input.messages("tags")) {
                    tags.add(new InputTag(tag.requiredText("key"), required(tag, "value")));
                }
                MlflowRequest dataset = input.message("dataset");
                if (dataset == null) {
                    throw MlflowRequest.missing("dataset");
                }
                inputs.add(new DatasetInput(tags, new Dataset(dataset.requiredText("name"), dataset.requiredText("digest"),
                        dataset.requiredText("source_type"), required(dataset, "source"), dataset.text("schema"),
                        dataset.text("profile"))));
            }
            tracking.logInputs(actors.of(ctx), runId, inputs);
            return new Empty();
        });
        for (String prefix : PREFIXES) {
            routes.add(Route.of(Operation.get(prefix + "metrics/get-history", "MLflow: a metric's history"), this::metricHistory));
        }
        get(routes, "artifacts/list", (ctx, in) -> {
            String runId = in.runId();
            String path = in.text("path");
            Run run = tracking.getRun(actors.of(ctx), runId);
            List<FileInfoJson> files = MlflowShapes.list(tracking.listArtifacts(actors.of(ctx), runId,
                    ArtifactPath.of(path)), FileInfoJson::of);
            return new ListArtifactsResponse(run.info().artifactUri(), files);
        });
        return routes;
    }

    private Object searchExperiments(Context ctx, MlflowRequest in) {
        Long max = in.int64("max_results");
        if (max != null && (max < 0 || max > Integer.MAX_VALUE)) {
            throw KeelException.invalid("'max_results' must be between 1 and 50000 (got " + max + ")");
        }
        ExperimentSearch search = new ExperimentSearch(in.text("filter"), in.enumeration("view_type", ViewType.class),
                max == null ? 0 : max.intValue(), in.texts("order_by"), emptyAsNull(in.text("page_token")));
        Page<Experiment> page = tracking.searchExperiments(actors.of(ctx), search);
        return new SearchExperimentsResponse(MlflowShapes.list(page.items(), ExperimentJson::of), page.nextPageToken());
    }

    /** As MLflow: the description must be a JSON object holding the fields every flavor writes. */
    private Object logModel(Context ctx, MlflowRequest in) {
        String runId = in.runId();
        String modelJson = in.requiredText("model_json");
        JsonNode model;
        try {
            model = json.mapper().readTree(modelJson);
        } catch (JsonProcessingException e) {
            throw KeelException.invalid("Malformed model info. \n" + modelJson + "\n is not a valid JSON.");
        }
        if (model == null || !model.isObject()) {
            throw KeelException.invalid("Malformed model info: 'model_json' must be a JSON object.");
        }
        List<String> missing = MODEL_FIELDS.stream().filter(f -> !model.hasNonNull(f)).toList();
        if (!missing.isEmpty()) {
            throw KeelException.invalid("Model json is missing mandatory fields: " + missing);
        }
        tracking.logModel(actors.of(ctx), runId, pythonStyle(json.mapper(), model));
        return new Empty();
    }

    /** Written in the spacing of Python's json.dumps, so the tag reads as MLflow writes it. */
    private static String pythonStyle(ObjectMapper mapper, JsonNode model) {
        try {
            return mapper.writer(new PythonJsonSpacing()).writeValueAsString(model);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a model read a moment ago", e);
        }
    }

    /**
     * The history of one metric, written point by point. Never with a {@code next_page_token}:
     * MLflow's Java client 2.17.2 loops forever on one, so a request gets every point up to
     * {@code max_results} at once.
     */
    private void metricHistory(Context ctx) throws IOException {
        MlflowRequest in = MlflowRequest.ofQuery(ctx.queryParamMap());
        String runId = in.runId();
        String key = in.requiredText("metric_key");
        Page<Metric> page = tracking.getMetricHistory(actors.of(ctx), runId, key, in.int32("max_results", 0),
                emptyAsNull(in.text("page_token")));
        StreamedAnswer.write(ctx, JsonBodies.JSON, "the history of metric '" + key + "'", body -> {
            JsonGenerator out = json.mapper().getFactory().createGenerator(body);
            out.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            out.writeStartObject();
            if (!page.items().isEmpty()) {
                out.writeFieldName("metrics");
                StreamedAnswer.points(out, page.items());
            }
            out.writeEndObject();
            out.close();
        });
    }

    private static Metric metric(MlflowRequest in, String prefix) {
        String key = in.text("key");
        if (key == null || key.isEmpty()) {
            throw MlflowRequest.missing(prefix + "key");
        }
        Double value = in.number("value");
        if (value == null) {
            throw MlflowRequest.missing(prefix + "value");
        }
        Long timestamp = in.int64("timestamp");
        if (timestamp == null) {
            throw MlflowRequest.missing(prefix + "timestamp");
        }
        Long step = in.int64("step");
        return new Metric(key, value, timestamp, step == null ? 0 : step);
    }

    private static List<Tag> tags(MlflowRequest in) {
        List<Tag> tags = new ArrayList<>();
        for (MlflowRequest tag : in.messages("tags")) {
            tags.add(new Tag(tag.requiredText("key"), tag.text("value")));
        }
        return tags;
    }

    /** A string field that must be present but may be empty (a param or tag value). */
    private static String required(MlflowRequest in, String field) {
        String value = in.text(field);
        if (value == null) {
            throw MlflowRequest.missing(field);
        }
        return value;
    }

    private static String emptyAsNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private void post(List<Route> routes, String name, Call call) {
        add(routes, HandlerType.POST, name, call);
    }

    private void get(List<Route> routes, String name, Call call) {
        add(routes, HandlerType.GET, name, call);
    }

    private void add(List<Route> routes, HandlerType method, String name, Call call) {
        for (String prefix : PREFIXES) {
            Operation<?, ?> operation = Operation.of(Operation.Method.valueOf(method.name()), prefix + name, "MLflow: " + name);
            routes.add(Route.of(operation, ctx -> {
                MlflowRequest in = method == HandlerType.GET ? MlflowRequest.ofQuery(ctx.queryParamMap())
                        : MlflowRequest.ofBody(json.read(ctx, JsonNode.class));
                json.write(ctx, 200, call.answer(ctx, in));
            }));
        }
    }
}
