package dev.keel.server.http;

import dev.keel.api.Tag;
import dev.keel.api.approval.EvaluationSet;
import dev.keel.api.approval.EvaluationSetSummary;
import dev.keel.api.approval.RecordedEvaluationSet;
import dev.keel.api.registry.ManifestFile;
import dev.keel.api.registry.ModelManifest;
import dev.keel.api.registry.ModelName;
import dev.keel.api.registry.ModelVersion;
import dev.keel.api.registry.ModelVersionSearch;
import dev.keel.api.registry.NewRegisteredModel;
import dev.keel.api.registry.RegisteredModel;
import dev.keel.api.registry.RegisteredModelSearch;
import dev.keel.api.registry.RegisteredModelUpdate;
import dev.keel.api.registry.RegistryService;
import dev.keel.api.registry.Stage;
import dev.keel.api.registry.card.ModelCard;
import dev.keel.core.ArtifactPath;
import dev.keel.core.KeelException;
import dev.keel.core.Page;
import dev.keel.server.http.NativeBodies.TagValue;
import dev.keel.server.http.RegistryBodies.AliasTarget;
import dev.keel.server.http.RegistryBodies.DownloadUri;
import dev.keel.server.http.RegistryBodies.ModelRename;
import dev.keel.server.http.RegistryBodies.ModelVersionList;
import dev.keel.server.http.RegistryBodies.NewModelVersionBody;
import dev.keel.server.http.RegistryBodies.StageTransition;
import dev.keel.server.http.RegistryBodies.VersionDescription;
import com.fasterxml.jackson.databind.type.TypeFactory;
import io.javalin.http.Context;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * The native REST API of the model registry, under {@code /api/v1/models} (and the cross-model
 * version search at {@code /api/v1/model-versions}): each route parses its input, calls one
 * {@link RegistryService} method and renders the result. No rule lives here.
 */
public final class RegistryRoutes {
    private static final Logger log = LoggerFactory.getLogger(RegistryRoutes.class);
    private static final String MODEL = "/api/v1/models/{name}";
    private static final String VERSION = MODEL + "/versions/{version}";

    private final RegistryService registry;
    private final JsonBodies json;
    private final RequestActor actors;

    public RegistryRoutes(RegistryService registry, JsonBodies json, RequestActor actors) {
        this.registry = registry;
        this.json = json;
        this.actors = actors;
    }

    public List<Route> routes() {
        return List.of(
                // registered models
                Route.post("/api/v1/models", "Register a model name (the caller becomes its owner)")
                        .accepts(NewRegisteredModel.class).returns(201, RegisteredModel.class)
                        .handledBy(ctx -> json.write(ctx, 201,
                                registry.createRegisteredModel(actors.of(ctx), json.read(ctx, NewRegisteredModel.class)))),
                Route.get("/api/v1/models", "Search registered models")
                        .query(QueryParameter.of("filter", String.class, "filter on name and tags, e.g. name LIKE 'credit%'"))
                        .query(QueryParameter.of("max_results", Integer.class, "page size (at most 1000, 100 by default)"))
                        .query(QueryParameter.repeated("order_by", String.class, "e.g. name ASC, last_updated_timestamp DESC"))
                        .query(QueryParameter.of("page_token", String.class, "from the previous page's next_page_token"))
                        .returns(page(RegisteredModel.class))
                        .handledBy(ctx -> json.write(ctx, 200, registry.searchRegisteredModels(actors.of(ctx),
                                new RegisteredModelSearch(Queries.text(ctx, "filter"), Queries.integer(ctx, "max_results", 0),
                                        Queries.texts(ctx, "order_by"), Queries.text(ctx, "page_token"))))),
                Route.get(MODEL, "Get a registered model with its tags, aliases and the newest version in each stage")
                        .returns(RegisteredModel.class)
                        .handledBy(ctx -> json.write(ctx, 200, registry.getRegisteredModel(actors.of(ctx), name(ctx)))),
                Route.patch(MODEL, "Change a registered model's description or risk tier (absent fields stay)")
                        .accepts(RegisteredModelUpdate.class).returns(RegisteredModel.class)
                        .handledBy(ctx -> json.write(ctx, 200, registry.updateRegisteredModel(actors.of(ctx), name(ctx),
                                json.read(ctx, RegisteredModelUpdate.class)))),
                Route.post(MODEL + "/rename", "Rename a registered model; its versions, aliases and tags follow")
                        .accepts(ModelRename.class).returns(RegisteredModel.class)
                        .handledBy(ctx -> json.write(ctx, 200, registry.renameRegisteredModel(actors.of(ctx), name(ctx),
                                json.read(ctx, ModelRename.class).newName()))),
                Route.delete(MODEL, "Delete a registered model with all its versions")
                        .handledBy(ctx -> noContent(ctx, () -> registry.deleteRegisteredModel(actors.of(ctx), name(ctx)))),
                Route.put(MODEL + "/tags/<key>", "Set a registered model tag")
                        .accepts(TagValue.class)
                        .handledBy(ctx -> noContent(ctx, () -> registry.setRegisteredModelTag(actors.of(ctx), name(ctx),
                                new Tag(ctx.pathParam("key"), json.read(ctx, TagValue.class).value())))),
                Route.delete(MODEL + "/tags/<key>", "Delete a registered model tag")
                        .handledBy(ctx -> noContent(ctx, () -> registry.deleteRegisteredModelTag(actors.of(ctx), name(ctx),
                                ctx.pathParam("key")))),
                Route.get(MODEL + "/latest-versions", "The newest version in each stage asked for (every stage when none)")
                        .query(QueryParameter.repeated("stage", String.class, "None, Staging, Production or Archived"))
                        .returns(ModelVersionList.class)
                        .handledBy(this::latestVersions),

                // aliases
                Route.put(MODEL + "/aliases/{alias}", "Point an alias at a version (moving it if it pointed elsewhere)")
                        .accepts(AliasTarget.class)
                        .handledBy(ctx -> noContent(ctx, () -> registry.setAlias(actors.of(ctx), name(ctx), ctx.pathParam("alias"),
                                json.read(ctx, AliasTarget.class).toVersion()))),
                Route.get(MODEL + "/aliases/{alias}", "The version an alias points at")
                        .returns(ModelVersion.class)
                        .handledBy(ctx -> json.write(ctx, 200, registry.getVersionByAlias(actors.of(ctx), name(ctx),
                                ctx.pathParam("alias")))),
                Route.delete(MODEL + "/aliases/{alias}", "Delete an alias")
                        .handledBy(ctx -> noContent(ctx, () -> registry.deleteAlias(actors.of(ctx), name(ctx), ctx.pathParam("alias")))),

                // versions
                Route.post(MODEL + "/versions", "Register the next version from a run's artifacts (runs:/… or mlflow-artifacts:/…)")
                        .accepts(NewModelVersionBody.class).returns(201, ModelVersion.class)
                        .handledBy(ctx -> json.write(ctx, 201, registry.createModelVersion(actors.of(ctx),
                                json.read(ctx, NewModelVersionBody.class).toRequest(name(ctx))))),
                Route.post(MODEL + "/versions/archive", "Register the next version from a directory sent as a zip archive (streamed)")
                        .query(QueryParameter.of("description", String.class, "the version's description"))
                        .query(QueryParameter.repeated("tag", String.class, "a tag as key=value"))
                        .acceptsBinary().returns(201, ModelVersion.class)
                        .handledBy(this::createFromArchive),
                Route.get("/api/v1/model-versions", "Search model versions across models")
                        .query(QueryParameter.of("filter", String.class, "on name, version_number, run_id, source_path and tags, "
                                + "e.g. name = 'credit' AND tags.team = 'risk'"))
                        .query(QueryParameter.of("max_results", Integer.class, "page size (at most 200000, 10000 by default)"))
                        .query(QueryParameter.repeated("order_by", String.class, "e.g. version_number DESC"))
                        .query(QueryParameter.of("page_token", String.class, "from the previous page's next_page_token"))
                        .returns(page(ModelVersion.class))
                        .handledBy(ctx -> json.write(ctx, 200, registry.searchModelVersions(actors.of(ctx),
                                new ModelVersionSearch(Queries.text(ctx, "filter"), Queries.integer(ctx, "max_results", 0),
                                        Queries.texts(ctx, "order_by"), Queries.text(ctx, "page_token"))))),
                Route.get(VERSION, "Get a model version with its manifest")
                        .returns(ModelVersion.class)
                        .handledBy(ctx -> json.write(ctx, 200, registry.getModelVersion(actors.of(ctx), name(ctx), version(ctx)))),
                Route.patch(VERSION, "Change a version's description")
                        .accepts(VersionDescription.class).returns(ModelVersion.class)
                        .handledBy(ctx -> json.write(ctx, 200, registry.updateModelVersion(actors.of(ctx), name(ctx), version(ctx),
                                json.read(ctx, VersionDescription.class).description()))),
                Route.delete(VERSION, "Delete a model version")
                        .handledBy(ctx -> noContent(ctx, () -> registry.deleteModelVersion(actors.of(ctx), name(ctx), version(ctx)))),
                Route.post(VERSION + "/stage", "Move a version to a stage, optionally archiving the others in it")
                        .accepts(StageTransition.class).returns(ModelVersion.class)
                        .handledBy(this::transitionStage),
                Route.get(VERSION + "/download-uri", "Where MLflow's clients download the version's files from")
                        .returns(DownloadUri.class)
                        .handledBy(ctx -> json.write(ctx, 200, new DownloadUri(registry.getDownloadUri(actors.of(ctx), name(ctx),
                                version(ctx))))),
                Route.put(VERSION + "/tags/<key>", "Set a model version tag")
                        .accepts(TagValue.class)
                        .handledBy(ctx -> noContent(ctx, () -> registry.setModelVersionTag(actors.of(ctx), name(ctx), version(ctx),
                                new Tag(ctx.pathParam("key"), json.read(ctx, TagValue.class).value())))),
                Route.delete(VERSION + "/tags/<key>", "Delete a model version tag")
                        .handledBy(ctx -> noContent(ctx, () -> registry.deleteModelVersionTag(actors.of(ctx), name(ctx),
                                version(ctx), ctx.pathParam("key")))),
                Route.get(VERSION + "/card", "The version's model card: the one saved, or a draft prefilled from what Keel knows")
                        .returns(ModelCard.class)
                        .handledBy(ctx -> json.write(ctx, 200, registry.getModelCard(actors.of(ctx), name(ctx), version(ctx)))),
                Route.put(VERSION + "/card", "Save the version's model card, replacing the one before")
                        .accepts(ModelCard.class).returns(ModelCard.class)
                        .handledBy(ctx -> json.write(ctx, 200, registry.updateModelCard(actors.of(ctx), name(ctx), version(ctx),
                                json.read(ctx, ModelCard.class)))),
                Route.put(VERSION + "/evaluation", "Record the version's evaluation set (decisions, outcomes and sensitive "
                        + "groups per row) that fairness checks read, replacing the one before")
                        .accepts(EvaluationSet.class).returns(EvaluationSetSummary.class)
                        .handledBy(ctx -> json.write(ctx, 200, registry.setEvaluationSet(actors.of(ctx), name(ctx), version(ctx),
                                json.read(ctx, EvaluationSet.class)))),
                Route.get(VERSION + "/evaluation", "The version's recorded evaluation set with its summary and SHA-256")
                        .returns(RecordedEvaluationSet.class)
                        .handledBy(ctx -> json.write(ctx, 200, registry.getEvaluationSet(actors.of(ctx), name(ctx), version(ctx)))),
                Route.get(VERSION + "/files/<path>", "Download one file of a version (streamed, its digest checked as it is read)")
                        .returnsBinary()
                        .handledBy(this::downloadFile),
                Route.post(VERSION + "/verify", "Re-hash every file of a version against its manifest")
                        .returns(ModelManifest.class)
                        .handledBy(ctx -> json.write(ctx, 200, registry.verifyVersion(actors.of(ctx), name(ctx), version(ctx)))));
    }

    private static Type page(Class<?> item) {
        return TypeFactory.defaultInstance().constructParametricType(Page.class, item);
    }

    private static void noContent(Context ctx, Runnable call) {
        call.run();
        ctx.status(204);
    }

    private static String name(Context ctx) {
        return ctx.pathParam("name");
    }

    /** The version number in the path: a positive integer, or a 400 naming it. */
    private static long version(Context ctx) {
        String text = ctx.pathParam("version");
        try {
            long version = Long.parseLong(text);
            if (version >= 1) {
                return version;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw KeelException.invalid("'version' must be a positive integer (got '"
                + (text.length() > 64 ? text.substring(0, 64) + "…" : text) + "')");
    }

    private void latestVersions(Context ctx) {
        List<Stage> stages = new ArrayList<>();
        for (String stage : Queries.texts(ctx, "stage")) {
            stages.add(Stage.parse(stage));
        }
        json.write(ctx, 200, new ModelVersionList(registry.getLatestVersions(actors.of(ctx), name(ctx), stages)));
    }

    private void transitionStage(Context ctx) {
        StageTransition transition = json.read(ctx, StageTransition.class);
        json.write(ctx, 200, registry.transitionStage(actors.of(ctx), name(ctx), version(ctx), transition.toStage(),
                transition.archive()));
    }

    private void createFromArchive(Context ctx) throws IOException {
        String name = ModelName.requireValid("name", name(ctx));  // before a possibly large upload is unpacked
        List<Tag> tags = new ArrayList<>();
        for (String tag : Queries.texts(ctx, "tag")) {
            int equals = tag.indexOf('=');
            if (equals < 0) {
                throw KeelException.invalid("'tag' must be key=value (got '" + (tag.length() > 64 ? tag.substring(0, 64) + "…" : tag) + "')");
            }
            tags.add(new Tag(tag.substring(0, equals), tag.substring(equals + 1)));
        }
        try (ModelArchive archive = ModelArchive.unpack(ctx.bodyInputStream())) {
            json.write(ctx, 201, registry.createModelVersionFromDirectory(actors.of(ctx), name, archive.directory(),
                    Queries.text(ctx, "description"), tags));
        }
    }

    /**
     * Streams one file with its manifest digest in a {@code Repr-Digest} header (RFC 9530), so
     * the client checks what it received end to end. The headers are sent before the first
     * byte: a digest mismatch the service finds while streaming then aborts the connection
     * rather than turning into an error status, and the client reports it, naming the file.
     */
    private void downloadFile(Context ctx) throws IOException {
        String path = ctx.pathParam("path");
        InputStream content = registry.openVersionFile(actors.of(ctx), name(ctx), version(ctx), path);
        try (content) {
            ManifestFile file = registry.getModelVersion(actors.of(ctx), name(ctx), version(ctx)).manifest()
                    .file(ArtifactPath.of(path).value());
            ctx.status(200).contentType("application/octet-stream");
            if (file != null) {
                ctx.header("Repr-Digest", "sha-256=:" + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(file.sha256())) + ":");
            }
            ctx.res().flushBuffer();
            content.transferTo(ctx.outputStream());
        } catch (RuntimeException | IOException e) {
            if (!ctx.res().isCommitted()) {
                throw e;
            }
            // The status is sent; aborting the connection is the only way left to tell the client
            // that the bytes it got are not the file (its digest no longer matches the manifest).
            log.error("download of file '{}' of model '{}' version {} failed after the response started",
                    path, name(ctx), ctx.pathParam("version"), e);
            ServletContextRequest.getServletContextRequest(ctx.req()).getServletChannel().abort(e);
        }
    }
}
