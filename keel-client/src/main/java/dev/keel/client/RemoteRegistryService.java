package dev.keel.client;

import dev.keel.api.Tag;
import dev.keel.api.approval.EvaluationSet;
import dev.keel.api.approval.EvaluationSetSummary;
import dev.keel.api.approval.RecordedEvaluationSet;
import dev.keel.api.registry.AliasName;
import dev.keel.api.registry.ModelManifest;
import dev.keel.api.registry.ModelName;
import dev.keel.api.registry.ModelVersion;
import dev.keel.api.registry.ModelVersionSearch;
import dev.keel.api.registry.NewModelVersion;
import dev.keel.api.registry.NewRegisteredModel;
import dev.keel.api.registry.RegisteredModel;
import dev.keel.api.registry.RegisteredModelSearch;
import dev.keel.api.registry.RegisteredModelUpdate;
import dev.keel.api.registry.RegistryLimits;
import dev.keel.api.registry.RegistryService;
import dev.keel.api.registry.Stage;
import dev.keel.api.registry.card.ModelCard;
import dev.keel.core.Actor;
import dev.keel.core.Checks;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import dev.keel.core.Page;
import com.fasterxml.jackson.databind.JavaType;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.keel.client.UriPaths.pair;
import static dev.keel.client.UriPaths.query;
import static dev.keel.client.UriPaths.segment;
import static dev.keel.client.UriPaths.segments;

/**
 * {@link RegistryService} over a Keel server's native REST API. It behaves as the embedded
 * service does — the same contract suite runs against both — and every failure arrives as the
 * {@link KeelException} the server raised. A local directory is uploaded as a zip archive
 * streamed while it is written; a version's file is downloaded as a stream.
 *
 * <p>The {@code actor} argument is not sent: the server decides who a request acts as.
 */
public final class RemoteRegistryService implements RegistryService {
    private static final String MODELS = "/api/v1/models";
    /** Room for the description and tags of an uploaded directory within a web server's request-line limit. */
    private static final int MAX_METADATA_QUERY = 6144;

    private final KeelConnection server;
    private final JavaType modelPage;
    private final JavaType versionPage;
    private final JavaType modelVersion;

    RemoteRegistryService(KeelConnection server) {
        this.server = server;
        this.modelPage = server.mapper().getTypeFactory().constructParametricType(Page.class, RegisteredModel.class);
        this.versionPage = server.mapper().getTypeFactory().constructParametricType(Page.class, ModelVersion.class);
        this.modelVersion = server.mapper().constructType(ModelVersion.class);
    }

    /** The bodies and answers whose other fields travel in the path. */
    private record ModelRename(String newName) {
    }

    private record TagValue(String value) {
    }

    private record AliasTarget(long version) {
    }

    private record NewModelVersionBody(String source, String runId, String description, List<Tag> tags, String runLink,
                                       Map<String, String> expectedSha256) {
    }

    private record VersionDescription(String description) {
    }

    private record StageTransition(String stage, boolean archiveExistingVersions) {
    }

    private record ModelVersionList(List<ModelVersion> versions) {
    }

    private record DownloadUri(String artifactUri) {
    }

    // registered models

    @Override
    public RegisteredModel createRegisteredModel(Actor actor, NewRegisteredModel request) {
        return server.exchange("POST", MODELS, Checks.requireNonNull("request", request), RegisteredModel.class);
    }

    @Override
    public RegisteredModel getRegisteredModel(Actor actor, String name) {
        return server.exchange("GET", model(name), null, RegisteredModel.class);
    }

    @Override
    public RegisteredModel renameRegisteredModel(Actor actor, String name, String newName) {
        return server.exchange("POST", model(name) + "/rename", new ModelRename(newName), RegisteredModel.class);
    }

    @Override
    public RegisteredModel updateRegisteredModel(Actor actor, String name, RegisteredModelUpdate update) {
        return server.exchange("PATCH", model(name), Checks.requireNonNull("update", update), RegisteredModel.class);
    }

    @Override
    public void deleteRegisteredModel(Actor actor, String name) {
        server.exchange("DELETE", model(name), null, (Class<?>) null);
    }

    @Override
    public Page<RegisteredModel> searchRegisteredModels(Actor actor, RegisteredModelSearch search) {
        Checks.requireNonNull("search", search);
        return server.exchange("GET", MODELS + searchQuery(search.filter(), search.maxResults(), search.orderBy(),
                search.pageToken()), null, modelPage);
    }

    @Override
    public void setRegisteredModelTag(Actor actor, String name, Tag tag) {
        Checks.requireNonNull("tag", tag);
        server.exchange("PUT", model(name) + "/tags/" + segments("tag key", tag.key()), new TagValue(tag.value()),
                (Class<?>) null);
    }

    @Override
    public void deleteRegisteredModelTag(Actor actor, String name, String key) {
        Checks.requireValidKey("tag key", key);
        server.exchange("DELETE", model(name) + "/tags/" + segments("tag key", key), null, (Class<?>) null);
    }

    // aliases

    @Override
    public void setAlias(Actor actor, String name, String alias, long version) {
        server.exchange("PUT", alias(name, alias), new AliasTarget(versionNumber(version)), (Class<?>) null);
    }

    @Override
    public void deleteAlias(Actor actor, String name, String alias) {
        server.exchange("DELETE", alias(name, alias), null, (Class<?>) null);
    }

    @Override
    public ModelVersion getVersionByAlias(Actor actor, String name, String alias) {
        return server.exchange("GET", alias(name, alias), null, ModelVersion.class);
    }

    // model versions

    @Override
    public ModelVersion createModelVersion(Actor actor, NewModelVersion request) {
        Checks.requireNonNull("request", request);
        return server.exchange("POST", model(request.name()) + "/versions", new NewModelVersionBody(request.source(),
                request.runId(), request.description(), request.tags(), request.runLink(), request.expectedSha256()),
                ModelVersion.class);
    }

    @Override
    public ModelVersion createModelVersionFromDirectory(Actor actor, String name, Path directory, String description,
                                                        List<Tag> tags) {
        String path = model(name) + "/versions/archive";
        Checks.requireNonNull("directory", directory);
        Checks.requireMaxLength("description", description, RegistryLimits.MAX_DESCRIPTION_LENGTH);
        Checks.requireMaxSize("tags", tags == null ? List.of() : tags, RegistryLimits.MAX_TAGS);
        List<String[]> params = new ArrayList<>();
        params.add(pair("description", description));
        for (Tag tag : tags == null ? List.<Tag>of() : tags) {
            Checks.requireNonNull("tag", tag);
            params.add(pair("tag", tag.key() + "=" + tag.value()));  // a tag key never holds '='
        }
        String metadata = query(params);
        if (metadata.length() > MAX_METADATA_QUERY) {
            // they travel in the request line, which web servers limit to a few kilobytes
            throw KeelException.invalid("the 'description' and 'tags' of a version registered from a directory over "
                    + "HTTP must fit in " + MAX_METADATA_QUERY + " characters once URL-encoded (got " + metadata.length()
                    + "); register it with fewer, then set the rest with updateModelVersion and setModelVersionTag");
        }
        DirectoryArchive archive = DirectoryArchive.of(directory);
        InputStream zip;
        try {
            zip = archive.open();
        } catch (IOException e) {
            throw KeelException.invalid("cannot read the model directory " + directory + ": " + e.getMessage());
        }
        try {
            return server.stream("POST", path + metadata, "application/zip", zip, modelVersion);
        } catch (KeelException e) {
            if (e.code() == ErrorCode.TEMPORARILY_UNAVAILABLE) {
                archive.requireWritten();  // the upload broke off because a file could not be read
            }
            throw e;
        }
    }

    @Override
    public ModelVersion getModelVersion(Actor actor, String name, long version) {
        return server.exchange("GET", version(name, version), null, ModelVersion.class);
    }

    @Override
    public ModelVersion updateModelVersion(Actor actor, String name, long version, String description) {
        return server.exchange("PATCH", version(name, version), new VersionDescription(description), ModelVersion.class);
    }

    @Override
    public void deleteModelVersion(Actor actor, String name, long version) {
        server.exchange("DELETE", version(name, version), null, (Class<?>) null);
    }

    @Override
    public Page<ModelVersion> searchModelVersions(Actor actor, ModelVersionSearch search) {
        Checks.requireNonNull("search", search);
        return server.exchange("GET", "/api/v1/model-versions" + searchQuery(search.filter(), search.maxResults(),
                search.orderBy(), search.pageToken()), null, versionPage);
    }

    @Override
    public List<ModelVersion> getLatestVersions(Actor actor, String name, List<Stage> stages) {
        List<String[]> params = new ArrayList<>();
        List<Stage> wanted = stages == null ? List.of() : stages;
        for (int i = 0; i < wanted.size(); i++) {
            params.add(pair("stage", Checks.requireNonNull("stages[" + i + "]", wanted.get(i)).wireName()));
        }
        return server.exchange("GET", model(name) + "/latest-versions" + query(params), null, ModelVersionList.class)
                .versions();
    }

    @Override
    public ModelVersion transitionStage(Actor actor, String name, long version, Stage stage,
                                        boolean archiveExistingVersions) {
        Checks.requireNonNull("stage", stage);
        return server.exchange("POST", version(name, version) + "/stage",
                new StageTransition(stage.wireName(), archiveExistingVersions), ModelVersion.class);
    }

    @Override
    public String getDownloadUri(Actor actor, String name, long version) {
        return server.exchange("GET", version(name, version) + "/download-uri", null, DownloadUri.class).artifactUri();
    }

    @Override
    public void setModelVersionTag(Actor actor, String name, long version, Tag tag) {
        Checks.requireNonNull("tag", tag);
        server.exchange("PUT", version(name, version) + "/tags/" + segments("tag key", tag.key()),
                new TagValue(tag.value()), (Class<?>) null);
    }

    @Override
    public void deleteModelVersionTag(Actor actor, String name, long version, String key) {
        String path = version(name, version);
        Checks.requireValidKey("tag key", key);
        server.exchange("DELETE", path + "/tags/" + segments("tag key", key), null, (Class<?>) null);
    }

    // model cards

    @Override
    public ModelCard getModelCard(Actor actor, String name, long version) {
        return server.exchange("GET", version(name, version) + "/card", null, ModelCard.class);
    }

    @Override
    public ModelCard updateModelCard(Actor actor, String name, long version, ModelCard card) {
        return server.exchange("PUT", version(name, version) + "/card", Checks.requireNonNull("card", card), ModelCard.class);
    }

    // evaluation sets

    @Override
    public EvaluationSetSummary setEvaluationSet(Actor actor, String name, long version, EvaluationSet set) {
        String path = version(name, version) + "/evaluation";
        return server.exchange("PUT", path, Checks.requireNonNull("evaluation_set", set), EvaluationSetSummary.class);
    }

    @Override
    public RecordedEvaluationSet getEvaluationSet(Actor actor, String name, long version) {
        return server.exchange("GET", version(name, version) + "/evaluation", null, RecordedEvaluationSet.class);
    }

    // files

    @Override
    public InputStream openVersionFile(Actor actor, String name, long version, String path) {
        String at = version(name, version);
        Checks.requireNonBlank("path", path);
        HttpResponse<InputStream> response = server.open(at + "/files/" + segments("path", path));
        return VerifiedDownload.of(response.body(), "model file '" + path + "' of version " + version
                + " of registered model '" + name + "'", response.headers().firstValue("Repr-Digest"));
    }

    @Override
    public ModelManifest verifyVersion(Actor actor, String name, long version) {
        return server.exchange("POST", version(name, version) + "/verify", null, ModelManifest.class);
    }

    /**
     * The model's path. The name is checked here by the registry's own rule because some names
     * cannot travel in a path at all (a '/' would be refused by the web server before Keel sees it).
     */
    private static String model(String name) {
        return MODELS + "/" + segment("name", ModelName.requireValid("name", name));
    }

    private static String version(String name, long version) {
        return model(name) + "/versions/" + versionNumber(version);
    }

    private static String alias(String name, String alias) {
        return model(name) + "/aliases/" + segment("alias", AliasName.requireValid(alias));
    }

    private static long versionNumber(long version) {
        if (version < 1) {
            throw KeelException.invalid("'version' must be a positive integer (got " + version + ")");
        }
        return version;
    }

    private static String searchQuery(String filter, int maxResults, List<String> orderBy, String pageToken) {
        List<String[]> params = new ArrayList<>();
        params.add(pair("filter", filter));
        params.add(pair("max_results", maxResults));
        for (String clause : orderBy) {
            params.add(pair("order_by", clause));
        }
        params.add(pair("page_token", pageToken));
        return query(params);
    }
}
