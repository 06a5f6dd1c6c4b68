package dev.keel.client;

import dev.keel.api.Tag;
import dev.keel.api.approval.EvaluationSet;
import dev.keel.api.approval.EvaluationSetSummary;
import dev.keel.api.approval.RecordedEvaluationSet;
import dev.keel.api.http.Call;
import dev.keel.api.http.RegistryApi;
import dev.keel.api.http.RegistryBodies.AliasTarget;
import dev.keel.api.http.RegistryBodies.ModelRename;
import dev.keel.api.http.RegistryBodies.NewModelVersionBody;
import dev.keel.api.http.RegistryBodies.StageTransition;
import dev.keel.api.http.RegistryBodies.VersionDescription;
import dev.keel.api.http.TagValue;
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

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import static dev.keel.api.http.RegistryApi.*;

/**
 * {@link RegistryService} over a Keel server's native REST API ({@link RegistryApi}). It behaves
 * as the embedded service does — the same contract suite runs against both — and every failure
 * arrives as the {@link KeelException} the server raised. A local directory is uploaded as a zip
 * archive streamed while it is written; a version's file is downloaded as a stream.
 *
 * <p>The {@code actor} argument is not sent: the server decides who a request acts as.
 */
record RemoteRegistryService(KeelConnection server) implements RegistryService {
    /** Room for the description and tags of an uploaded directory within a web server's request-line limit. */
    private static final int MAX_METADATA_QUERY = 6144;


    // registered models

    @Override
    public RegisteredModel createRegisteredModel(Actor actor, NewRegisteredModel request) {
        return server.send(CREATE_MODEL.at().with(Checks.requireNonNull("request", request)));
    }

    @Override
    public RegisteredModel getRegisteredModel(Actor actor, String name) {
        return server.send(GET_MODEL.at(model(name)));
    }

    @Override
    public RegisteredModel renameRegisteredModel(Actor actor, String name, String newName) {
        return server.send(RENAME_MODEL.at(model(name)).with(new ModelRename(newName)));
    }

    @Override
    public RegisteredModel updateRegisteredModel(Actor actor, String name, RegisteredModelUpdate update) {
        return server.send(UPDATE_MODEL.at(model(name)).with(Checks.requireNonNull("update", update)));
    }

    @Override
    public void deleteRegisteredModel(Actor actor, String name) {
        server.send(DELETE_MODEL.at(model(name)));
    }

    @Override
    public Page<RegisteredModel> searchRegisteredModels(Actor actor, RegisteredModelSearch search) {
        Checks.requireNonNull("search", search);
        return server.send(SEARCH_MODELS.at().query("filter", search.filter()).query("max_results", search.maxResults())
                .query("order_by", search.orderBy()).query("page_token", search.pageToken()));
    }

    @Override
    public void setRegisteredModelTag(Actor actor, String name, Tag tag) {
        Checks.requireNonNull("tag", tag);
        server.send(SET_MODEL_TAG.at(model(name), tag.key()).with(new TagValue(tag.value())));
    }

    @Override
    public void deleteRegisteredModelTag(Actor actor, String name, String key) {
        String model = model(name);
        server.send(DELETE_MODEL_TAG.at(model, Checks.requireValidKey("tag key", key)));
    }

    // aliases

    @Override
    public void setAlias(Actor actor, String name, String alias, long version) {
        String model = model(name);
        server.send(SET_ALIAS.at(model, AliasName.requireValid(alias)).with(new AliasTarget(Checks.requirePositive("version", version))));
    }

    @Override
    public void deleteAlias(Actor actor, String name, String alias) {
        String model = model(name);
        server.send(DELETE_ALIAS.at(model, AliasName.requireValid(alias)));
    }

    @Override
    public ModelVersion getVersionByAlias(Actor actor, String name, String alias) {
        String model = model(name);
        return server.send(GET_ALIAS.at(model, AliasName.requireValid(alias)));
    }

    // model versions

    @Override
    public ModelVersion createModelVersion(Actor actor, NewModelVersion request) {
        Checks.requireNonNull("request", request);
        return server.send(CREATE_VERSION.at(model(request.name())).with(NewModelVersionBody.of(request)));
    }

    @Override
    public ModelVersion createModelVersionFromDirectory(Actor actor, String name, Path directory, String description,
                                                        List<Tag> tags) {
        Call<InputStream, ModelVersion> call = CREATE_VERSION_FROM_ARCHIVE.at(model(name));
        Checks.requireNonNull("directory", directory);
        Checks.requireMaxLength("description", description, RegistryLimits.MAX_DESCRIPTION_LENGTH);
        Checks.requireMaxSize("tags", tags == null ? List.of() : tags, RegistryLimits.MAX_TAGS);
        call = call.query("description", description);
        for (Tag tag : tags == null ? List.<Tag>of() : tags) {
            Checks.requireNonNull("tag", tag);
            call = call.query("tag", tag.key() + "=" + tag.value());  // a tag key never holds '='
        }
        int metadata = call.target().length() - call.path().length();
        if (metadata > MAX_METADATA_QUERY) {
            // they travel in the request line, which web servers limit to a few kilobytes
            throw KeelException.invalid("the 'description' and 'tags' of a version registered from a directory over "
                    + "HTTP must fit in " + MAX_METADATA_QUERY + " characters once URL-encoded (got " + metadata
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
            return server.upload(call, "application/zip", zip);
        } catch (KeelException e) {
            if (e.code() == ErrorCode.TEMPORARILY_UNAVAILABLE) {
                archive.requireWritten();  // the upload broke off because a file could not be read
            }
            throw e;
        }
    }

    @Override
    public ModelVersion getModelVersion(Actor actor, String name, long version) {
        return server.send(GET_VERSION.at(model(name), Checks.requirePositive("version", version)));
    }

    @Override
    public ModelVersion updateModelVersion(Actor actor, String name, long version, String description) {
        return server.send(UPDATE_VERSION.at(model(name), Checks.requirePositive("version", version)).with(new VersionDescription(description)));
    }

    @Override
    public void deleteModelVersion(Actor actor, String name, long version) {
        server.send(DELETE_VERSION.at(model(name), Checks.requirePositive("version", version)));
    }

    @Override
    public Page<ModelVersion> searchModelVersions(Actor actor, ModelVersionSearch search) {
        Checks.requireNonNull("search", search);
        return server.send(SEARCH_VERSIONS.at().query("filter", search.filter()).query("max_results", search.maxResults())
                .query("order_by", search.orderBy()).query("page_token", search.pageToken()));
    }

    @Override
    public List<ModelVersion> getLatestVersions(Actor actor, String name, List<Stage> stages) {
        var call = LATEST_VERSIONS.at(model(name));
        List<Stage> wanted = stages == null ? List.of() : stages;
        for (int i = 0; i < wanted.size(); i++) {
            call = call.query("stage", Checks.requireNonNull("stages[" + i + "]", wanted.get(i)).wireName());
        }
        return server.send(call).versions();
    }

    @Override
    public ModelVersion transitionStage(Actor actor, String name, long version, Stage stage,
                                        boolean archiveExistingVersions) {
        Checks.requireNonNull("stage", stage);
        return server.send(TRANSITION_STAGE.at(model(name), Checks.requirePositive("version", version))
                .with(new StageTransition(stage.wireName(), archiveExistingVersions)));
    }

    @Override
    public String getDownloadUri(Actor actor, String name, long version) {
        return server.send(DOWNLOAD_URI.at(model(name), Checks.requirePositive("version", version))).artifactUri();
    }

    @Override
    public void setModelVersionTag(Actor actor, String name, long version, Tag tag) {
        Checks.requireNonNull("tag", tag);
        server.send(SET_VERSION_TAG.at(model(name), Checks.requirePositive("version", version), tag.key()).with(new TagValue(tag.value())));
    }

    @Override
    public void deleteModelVersionTag(Actor actor, String name, long version, String key) {
        String model = model(name);
        long number = Checks.requirePositive("version", version);
        server.send(DELETE_VERSION_TAG.at(model, number, Checks.requireValidKey("tag key", key)));
    }

    // model cards

    @Override
    public ModelCard getModelCard(Actor actor, String name, long version) {
        return server.send(GET_CARD.at(model(name), Checks.requirePositive("version", version)));
    }

    @Override
    public ModelCard updateModelCard(Actor actor, String name, long version, ModelCard card) {
        var call = UPDATE_CARD.at(model(name), Checks.requirePositive("version", version));
        return server.send(call.with(Checks.requireNonNull("card", card)));
    }

    // evaluation sets

    @Override
    public EvaluationSetSummary setEvaluationSet(Actor actor, String name, long version, EvaluationSet set) {
        var call = SET_EVALUATION.at(model(name), Checks.requirePositive("version", version));
        return server.send(call.with(Checks.requireNonNull("evaluation_set", set)));
    }

    @Override
    public RecordedEvaluationSet getEvaluationSet(Actor actor, String name, long version) {
        return server.send(GET_EVALUATION.at(model(name), Checks.requirePositive("version", version)));
    }

    // files

    @Override
    public InputStream openVersionFile(Actor actor, String name, long version, String path) {
        var call = OPEN_FILE.at(model(name), Checks.requirePositive("version", version), Checks.requireNonBlank("path", path));
        HttpResponse<InputStream> response = server.open(call);
        return VerifiedDownload.of(response.body(), "model file '" + path + "' of version " + version
                + " of registered model '" + name + "'", response.headers().firstValue("Repr-Digest"));
    }

    @Override
    public ModelManifest verifyVersion(Actor actor, String name, long version) {
        return server.send(VERIFY_VERSION.at(model(name), Checks.requirePositive("version", version)));
    }

    /**
     * The model's name, checked here by the registry's own rule because some names cannot travel
     * in a path at all (a '/' would be refused by the web server before Keel sees it).
     */
    private static String model(String name) {
        return ModelName.requireValid("name", name);
    }
}
