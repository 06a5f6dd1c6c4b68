package dev.keel.server.mlflow;

import dev.keel.api.http.Operation;
import dev.keel.api.Tag;
import dev.keel.api.registry.ModelVersion;
import dev.keel.api.registry.ModelVersionSearch;
import dev.keel.api.registry.NewModelVersion;
import dev.keel.api.registry.NewRegisteredModel;
import dev.keel.api.registry.RegisteredModel;
import dev.keel.api.registry.RegisteredModelSearch;
import dev.keel.api.registry.RegisteredModelUpdate;
import dev.keel.api.registry.RegistryService;
import dev.keel.api.registry.Stage;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import dev.keel.core.Page;
import dev.keel.server.http.JsonBodies;
import dev.keel.server.http.RequestActor;
import dev.keel.server.http.Route;
import dev.keel.server.mlflow.MlflowRegistryShapes.DownloadUriResponse;
import dev.keel.server.mlflow.MlflowRegistryShapes.ModelVersionJson;
import dev.keel.server.mlflow.MlflowRegistryShapes.ModelVersionResponse;
import dev.keel.server.mlflow.MlflowRegistryShapes.ModelVersionsResponse;
import dev.keel.server.mlflow.MlflowRegistryShapes.RegisteredModelJson;
import dev.keel.server.mlflow.MlflowRegistryShapes.RegisteredModelResponse;
import dev.keel.server.mlflow.MlflowRegistryShapes.SearchModelVersionsResponse;
import dev.keel.server.mlflow.MlflowRegistryShapes.SearchRegisteredModelsResponse;
import dev.keel.server.mlflow.MlflowShapes.Empty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * MLflow's model registry REST protocol ({@code model_registry.proto}) under
 * {@code /api/2.0/mlflow/} and {@code /ajax-api/2.0/mlflow/}: each route reads MLflow's request
 * message, calls one {@link RegistryService} method and writes MLflow's response message. The
 * rules (names, stages, aliases, limits) live in the service, which the native API shares.
 */
public record MlflowRegistryRoutes(RegistryService registry, JsonBodies json, RequestActor actors, long maxJsonBodyBytes) {
    private interface Call {
        Object answer(Context ctx, MlflowRequest request);
    }

    public List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        // registered models
        add(routes, HandlerType.POST, "registered-models/create", (ctx, in) -> RegisteredModelResponse.of(
                registry.createRegisteredModel(actors.of(ctx), new NewRegisteredModel(in.requiredText("name"),
                        in.text("description"), null, tags(in)))));
        add(routes, HandlerType.GET, "registered-models/get", (ctx, in) -> RegisteredModelResponse.of(
                registry.getRegisteredModel(actors.of(ctx), in.requiredText("name"))));
        add(routes, HandlerType.POST, "registered-models/rename", (ctx, in) -> RegisteredModelResponse.of(
                registry.renameRegisteredModel(actors.of(ctx), in.requiredText("name"), in.requiredText("new_name"))));
        // as MLflow: an update without a description clears it
        add(routes, HandlerType.PATCH, "registered-models/update", (ctx, in) -> RegisteredModelResponse.of(
                registry.updateRegisteredModel(actors.of(ctx), in.requiredText("name"),
                        RegisteredModelUpdate.description(orEmpty(in.text("description"))))));
        add(routes, HandlerType.DELETE, "registered-models/delete", (ctx, in) -> {
            registry.deleteRegisteredModel(actors.of(ctx), in.requiredText("name"));
            return new Empty();
        });
        add(routes, HandlerType.GET, "registered-models/search", this::searchRegisteredModels);
        add(routes, HandlerType.POST, "registered-models/get-latest-versions", this::latestVersions);
        add(routes, HandlerType.GET, "registered-models/get-latest-versions", this::latestVersions);
        add(routes, HandlerType.POST, "registered-models/set-tag", (ctx, in) -> {
            registry.setRegisteredModelTag(actors.of(ctx), in.requiredText("name"), new Tag(in.requiredText("key"),
                    in.text("value")));
            return new Empty();
        });
        add(routes, HandlerType.DELETE, "registered-models/delete-tag", (ctx, in) -> {
            registry.deleteRegisteredModelTag(actors.of(ctx), in.requiredText("name"), in.requiredText("key"));
            return new Empty();
        });
        add(routes, HandlerType.POST, "registered-models/alias", (ctx, in) -> {
            registry.setAlias(actors.of(ctx), in.requiredText("name"), in.requiredText("alias"), version(in));
            return new Empty();
        });
        add(routes, HandlerType.DELETE, "registered-models/alias", (ctx, in) -> {
            registry.deleteAlias(actors.of(ctx), in.requiredText("name"), in.requiredText("alias"));
            return new Empty();
        });
        add(routes, HandlerType.GET, "registered-models/alias", (ctx, in) -> ModelVersionResponse.of(
                registry.getVersionByAlias(actors.of(ctx), in.requiredText("name"), in.requiredText("alias"))));

        // model versions
        add(routes, HandlerType.POST, "model-versions/create", (ctx, in) -> ModelVersionResponse.of(
                registry.createModelVersion(actors.of(ctx), new NewModelVersion(in.requiredText("name"),
                        in.requiredText("source"), in.text("run_id"), in.text("description"), tags(in), in.text("run_link")))));
        add(routes, HandlerType.GET, "model-versions/get", (ctx, in) -> ModelVersionResponse.of(
                registry.getModelVersion(actors.of(ctx), in.requiredText("name"), version(in))));
        add(routes, HandlerType.PATCH, "model-versions/update", (ctx, in) -> ModelVersionResponse.of(
                registry.updateModelVersion(actors.of(ctx), in.requiredText("name"), version(in), in.text("description"))));
        add(routes, HandlerType.DELETE, "model-versions/delete", (ctx, in) -> {
            registry.deleteModelVersion(actors.of(ctx), in.requiredText("name"), version(in));
            return new Empty();
        });
        add(routes, HandlerType.GET, "model-versions/search", this::searchModelVersions);
        add(routes, HandlerType.POST, "model-versions/transition-stage", (ctx, in) -> {
            String name = in.requiredText("name");
            long version = version(in);
            Stage stage = Stage.parse(in.requiredText("stage"));
            Boolean archive = in.bool("archive_existing_versions");
            return ModelVersionResponse.of(registry.transitionStage(actors.of(ctx), name, version, stage,
                    archive != null && archive));
        });
        add(routes, HandlerType.GET, "model-versions/get-download-uri", (ctx, in) -> new DownloadUriResponse(
                registry.getDownloadUri(actors.of(ctx), in.requiredText("name"), version(in))));
        add(routes, HandlerType.POST, "model-versions/set-tag", (ctx, in) -> {
            registry.setModelVersionTag(actors.of(ctx), in.requiredText("name"), version(in),
                    new Tag(in.requiredText("key"), in.text("value")));
            return new Empty();
        });
        add(routes, HandlerType.DELETE, "model-versions/delete-tag", (ctx, in) -> {
            registry.deleteModelVersionTag(actors.of(ctx), in.requiredText("name"), version(in), in.requiredText("key"));
            return new Empty();
        });
        return routes;
    }

    private Object searchRegisteredModels(Context ctx, MlflowRequest in) {
        Page<RegisteredModel> page = registry.searchRegisteredModels(actors.of(ctx), new RegisteredModelSearch(
                in.text("filter"), maxResults(in), in.texts("order_by"), emptyAsNull(in.text("page_token"))));
        return new SearchRegisteredModelsResponse(MlflowShapes.list(page.items(), RegisteredModelJson::of),
                page.nextPageToken());
    }

    private Object searchModelVersions(Context ctx, MlflowRequest in) {
        Page<ModelVersion> page = registry.searchModelVersions(actors.of(ctx), new ModelVersionSearch(
                in.text("filter"), maxResults(in), in.texts("order_by"), emptyAsNull(in.text("page_token"))));
        return new SearchModelVersionsResponse(MlflowShapes.list(page.items(), ModelVersionJson::of), page.nextPageToken());
    }

    private Object latestVersions(Context ctx, MlflowRequest in) {
        String name = in.requiredText("name");
        List<Stage> stages = new ArrayList<>();
        for (String stage : in.texts("stages")) {
            stages.add(Stage.parse(stage));
        }
        return new ModelVersionsResponse(MlflowShapes.list(registry.getLatestVersions(actors.of(ctx), name, stages),
                ModelVersionJson::of));
    }

    /** A page size: absent means the search's own default; the search refuses what is out of range. */
    private static int maxResults(MlflowRequest in) {
        Long max = in.int64("max_results");
        if (max == null) {
            return 0;
        }
        if (max < 1 || max > Integer.MAX_VALUE) {
            throw KeelException.invalid("Invalid value " + max + " for parameter 'max_results' supplied: "
                    + "it must be a positive integer.");
        }
        return max.intValue();
    }

    /** MLflow's version field: a string of a positive integer (a JSON number is taken too). */
    private static long version(MlflowRequest in) {
        String text = in.requiredText("version");
        try {
            long version = Long.parseLong(text.trim());
            if (version >= 1) {
                return version;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw KeelException.invalid("Parameter 'version' must be a positive integer, got '"
                + (text.length() > 64 ? text.substring(0, 64) + "…" : text) + "'.");
    }

    private static List<Tag> tags(MlflowRequest in) {
        List<Tag> tags = new ArrayList<>();
        for (MlflowRequest tag : in.messages("tags")) {
            tags.add(new Tag(tag.requiredText("key"), tag.text("value")));
        }
        return tags;
    }

    private static String emptyAsNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    private void add(List<Route> routes, HandlerType method, String name, Call call) {
        for (String prefix : MlflowTrackingRoutes.PREFIXES) {
            Operation<?, ?> operation = Operation.of(Operation.Method.valueOf(method.name()), prefix + name, "MLflow: " + name);
            routes.add(Route.of(operation, ctx -> json.write(ctx, 200, call.answer(ctx, read(ctx, method)))));
        }
    }

    /**
     * The request's fields. GET: the query string. POST: a JSON body with MLflow's content type.
     * PATCH and DELETE: a JSON body, whatever its content type (MLflow checks it only for POST
     * and PUT), or the query string when the body is empty.
     */
    private MlflowRequest read(Context ctx, HandlerType method) throws IOException {
        if (method == HandlerType.GET) {
            return MlflowRequest.ofQuery(ctx.queryParamMap());
        }
        if (method == HandlerType.POST) {
            return MlflowRequest.ofBody(json.read(ctx, JsonNode.class));
        }
        byte[] body;
        try (InputStream in = ctx.bodyInputStream()) {
            body = in.readNBytes((int) Math.min(maxJsonBodyBytes + 1, Integer.MAX_VALUE - 8));
        }
        if (body.length > maxJsonBodyBytes) {
            throw new KeelException(ErrorCode.PAYLOAD_TOO_LARGE, "request body is larger than " + maxJsonBodyBytes
                    + " bytes, the most this server accepts for a JSON body");
        }
        if (new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            return MlflowRequest.ofQuery(ctx.queryParamMap());
        }
        try {
            return MlflowRequest.ofBody(json.mapper().readTree(body));
        } catch (JsonProcessingException e) {
            throw new KeelException(ErrorCode.BAD_REQUEST, "malformed JSON in request body: " + e.getOriginalMessage());
        }
    }
}
