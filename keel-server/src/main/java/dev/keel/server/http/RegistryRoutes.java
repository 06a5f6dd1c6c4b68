package dev.keel.server.http;

import dev.keel.api.Tag;
import dev.keel.api.http.RegistryBodies.DownloadUri;
import dev.keel.api.http.RegistryBodies.ModelVersionList;
import dev.keel.api.http.RegistryBodies.StageTransition;
import dev.keel.api.registry.ManifestFile;
import dev.keel.api.registry.ModelName;
import dev.keel.api.registry.ModelVersion;
import dev.keel.api.registry.ModelVersionSearch;
import dev.keel.api.registry.RegisteredModelSearch;
import dev.keel.api.registry.RegistryService;
import dev.keel.api.registry.Stage;
import dev.keel.core.ArtifactPath;
import dev.keel.core.KeelException;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import static dev.keel.api.http.RegistryApi.*;

/**
 * The native REST API of the model registry ({@link dev.keel.api.http.RegistryApi}): each
 * route calls one {@link RegistryService} method with what the request says and renders the
 * result. No rule lives here.
 */
public record RegistryRoutes(RegistryService registry) {

    public List<Route> routes(RouteBinder bind) {
        return List.of(
                // registered models
                bind.answer(CREATE_MODEL, x -> registry.createRegisteredModel(x.actor(), x.body())),
                bind.answer(SEARCH_MODELS, x -> registry.searchRegisteredModels(x.actor(), new RegisteredModelSearch(
                        x.query("filter"), x.integer("max_results", 0), x.queries("order_by"), x.query("page_token")))),
                bind.answer(GET_MODEL, x -> registry.getRegisteredModel(x.actor(), x.path("name"))),
                bind.answer(UPDATE_MODEL, x -> registry.updateRegisteredModel(x.actor(), x.path("name"), x.body())),
                bind.answer(RENAME_MODEL, x -> registry.renameRegisteredModel(x.actor(), x.path("name"), x.body().newName())),
                bind.perform(DELETE_MODEL, x -> registry.deleteRegisteredModel(x.actor(), x.path("name"))),
                bind.perform(SET_MODEL_TAG, x -> registry.setRegisteredModelTag(x.actor(), x.path("name"),
                        new Tag(x.path("key"), x.body().value()))),
                bind.perform(DELETE_MODEL_TAG, x -> registry.deleteRegisteredModelTag(x.actor(), x.path("name"), x.path("key"))),
                bind.answer(LATEST_VERSIONS, this::latestVersions),

                // aliases
                bind.perform(SET_ALIAS, x -> registry.setAlias(x.actor(), x.path("name"), x.path("alias"),
                        x.body().toVersion())),
                bind.answer(GET_ALIAS, x -> registry.getVersionByAlias(x.actor(), x.path("name"), x.path("alias"))),
                bind.perform(DELETE_ALIAS, x -> registry.deleteAlias(x.actor(), x.path("name"), x.path("alias"))),

                // versions
                bind.answer(CREATE_VERSION, x -> registry.createModelVersion(x.actor(), x.body().toRequest(x.path("name")))),
                bind.answer(CREATE_VERSION_FROM_ARCHIVE, this::createFromArchive),
                bind.answer(SEARCH_VERSIONS, x -> registry.searchModelVersions(x.actor(), new ModelVersionSearch(
                        x.query("filter"), x.integer("max_results", 0), x.queries("order_by"), x.query("page_token")))),
                bind.answer(GET_VERSION, x -> registry.getModelVersion(x.actor(), x.path("name"), x.positive("version"))),
                bind.answer(UPDATE_VERSION, x -> registry.updateModelVersion(x.actor(), x.path("name"), x.positive("version"),
                        x.body().description())),
                bind.perform(DELETE_VERSION, x -> registry.deleteModelVersion(x.actor(), x.path("name"), x.positive("version"))),
                bind.answer(TRANSITION_STAGE, x -> {
                    StageTransition transition = x.body();
                    return registry.transitionStage(x.actor(), x.path("name"), x.positive("version"), transition.toStage(),
                            transition.archive());
                }),
                bind.answer(DOWNLOAD_URI, x -> new DownloadUri(registry.getDownloadUri(x.actor(), x.path("name"),
                        x.positive("version")))),
                bind.perform(SET_VERSION_TAG, x -> registry.setModelVersionTag(x.actor(), x.path("name"), x.positive("version"),
                        new Tag(x.path("key"), x.body().value()))),
                bind.perform(DELETE_VERSION_TAG, x -> registry.deleteModelVersionTag(x.actor(), x.path("name"),
                        x.positive("version"), x.path("key"))),
                bind.answer(GET_CARD, x -> registry.getModelCard(x.actor(), x.path("name"), x.positive("version"))),
                bind.answer(UPDATE_CARD, x -> registry.updateModelCard(x.actor(), x.path("name"), x.positive("version"),
                        x.body())),
                bind.answer(SET_EVALUATION, x -> registry.setEvaluationSet(x.actor(), x.path("name"), x.positive("version"),
                        x.body())),
                bind.answer(GET_EVALUATION, x -> registry.getEvaluationSet(x.actor(), x.path("name"), x.positive("version"))),
                bind.handle(OPEN_FILE, this::downloadFile),
                bind.answer(VERIFY_VERSION, x -> registry.verifyVersion(x.actor(), x.path("name"), x.positive("version"))));
    }

    private ModelVersionList latestVersions(Exchange<Void> x) {
        List<Stage> stages = new ArrayList<>();
        for (String stage : x.queries("stage")) {
            stages.add(Stage.parse(stage));
        }
        return new ModelVersionList(registry.getLatestVersions(x.actor(), x.path("name"), stages));
    }

    private ModelVersion createFromArchive(Exchange<InputStream> x) throws IOException {
        String name = ModelName.requireValid("name", x.path("name"));  // before a possibly large upload is unpacked
        List<Tag> tags = new ArrayList<>();
        for (String tag : x.queries("tag")) {
            int equals = tag.indexOf('=');
            if (equals < 0) {
                throw KeelException.invalid("'tag' must be key=value (got '" + (tag.length() > 64 ? tag.substring(0, 64) + "…" : tag) + "')");
            }
            tags.add(new Tag(tag.substring(0, equals), tag.substring(equals + 1)));
        }
        try (ModelArchive archive = ModelArchive.unpack(x.context().bodyInputStream())) {
            return registry.createModelVersionFromDirectory(x.actor(), name, archive.directory(), x.query("description"),
                    tags);
        }
    }

    /**
     * Streams one file with its manifest digest in a {@code Repr-Digest} header (RFC 9530), so
     * the client checks what it received end to end. The headers are sent before the first
     * byte: a digest mismatch the service finds while streaming then aborts the connection
     * rather than turning into an error status, and the client reports it, naming the file.
     */
    private void downloadFile(Exchange<Void> x) throws IOException {
        String path = x.path("path");
        InputStream content = registry.openVersionFile(x.actor(), x.path("name"), x.positive("version"), path);
        try (content) {
            ManifestFile file = registry.getModelVersion(x.actor(), x.path("name"), x.positive("version")).manifest()
                    .file(ArtifactPath.of(path).value());
            if (file != null) {
                x.context().header("Repr-Digest", "sha-256=:"
                        + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(file.sha256())) + ":");
            }
            StreamedAnswer.write(x.context(), "application/octet-stream", "download of file '" + path + "' of model '"
                    + x.path("name") + "' version " + x.path("version"), out -> {
                        x.context().res().flushBuffer();
                        content.transferTo(out);
                    });
        }
    }
}
