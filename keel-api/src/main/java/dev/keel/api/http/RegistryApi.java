package dev.keel.api.http;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.keel.api.approval.EvaluationSet;
import dev.keel.api.approval.EvaluationSetSummary;
import dev.keel.api.approval.RecordedEvaluationSet;
import dev.keel.api.http.RegistryBodies.AliasTarget;
import dev.keel.api.http.RegistryBodies.DownloadUri;
import dev.keel.api.http.RegistryBodies.ModelRename;
import dev.keel.api.http.RegistryBodies.ModelVersionList;
import dev.keel.api.http.RegistryBodies.NewModelVersionBody;
import dev.keel.api.http.RegistryBodies.StageTransition;
import dev.keel.api.http.RegistryBodies.VersionDescription;
import dev.keel.api.registry.ModelManifest;
import dev.keel.api.registry.ModelVersion;
import dev.keel.api.registry.NewRegisteredModel;
import dev.keel.api.registry.RegisteredModel;
import dev.keel.api.registry.RegisteredModelUpdate;
import dev.keel.api.registry.card.ModelCard;
import dev.keel.core.Page;

import java.io.InputStream;

/**
 * The model registry over HTTP, under {@code /api/v1/models} (and the cross-model version
 * search at {@code /api/v1/model-versions}): one {@link Operation} per
 * {@link dev.keel.api.registry.RegistryService} call.
 */
public final class RegistryApi {
    private static final String MODEL = "/api/v1/models/{name}";
    private static final String VERSION = MODEL + "/versions/{version}";

    private RegistryApi() {
    }

    // registered models

    public static final Operation<NewRegisteredModel, RegisteredModel> CREATE_MODEL =
            Operation.post("/api/v1/models", "Register a model name (the caller becomes its owner)")
                    .accepts(NewRegisteredModel.class).returns(201, RegisteredModel.class);

    public static final Operation<Void, Page<RegisteredModel>> SEARCH_MODELS =
            Operation.get("/api/v1/models", "Search registered models")
                    .searched("filter on name and tags, e.g. name LIKE 'credit%'", "page size (at most 1000, 100 by default)",
                            "e.g. name ASC, last_updated_timestamp DESC")
                    .returns(new TypeReference<Page<RegisteredModel>>() { });

    public static final Operation<Void, RegisteredModel> GET_MODEL =
            Operation.get(MODEL, "Get a registered model with its tags, aliases and the newest version in each stage")
                    .returns(RegisteredModel.class);

    public static final Operation<RegisteredModelUpdate, RegisteredModel> UPDATE_MODEL =
            Operation.patch(MODEL, "Change a registered model's description or risk tier (absent fields stay)")
                    .accepts(RegisteredModelUpdate.class).returns(RegisteredModel.class);

    public static final Operation<ModelRename, RegisteredModel> RENAME_MODEL =
            Operation.post(MODEL + "/rename", "Rename a registered model; its versions, aliases and tags follow")
                    .accepts(ModelRename.class).returns(RegisteredModel.class);

    public static final Operation<Void, Void> DELETE_MODEL =
            Operation.delete(MODEL, "Delete a registered model with all its versions");

    public static final Operation<TagValue, Void> SET_MODEL_TAG =
            Operation.put(MODEL + "/tags/<key>", "Set a registered model tag").accepts(TagValue.class);

    public static final Operation<Void, Void> DELETE_MODEL_TAG =
            Operation.delete(MODEL + "/tags/<key>", "Delete a registered model tag");

    public static final Operation<Void, ModelVersionList> LATEST_VERSIONS =
            Operation.get(MODEL + "/latest-versions", "The newest version in each stage asked for (every stage when none)")
                    .query(QueryParameter.repeated("stage", String.class, "None, Staging, Production or Archived"))
                    .returns(ModelVersionList.class);

    // aliases

    public static final Operation<AliasTarget, Void> SET_ALIAS =
            Operation.put(MODEL + "/aliases/{alias}", "Point an alias at a version (moving it if it pointed elsewhere)")
                    .accepts(AliasTarget.class);

    public static final Operation<Void, ModelVersion> GET_ALIAS =
            Operation.get(MODEL + "/aliases/{alias}", "The version an alias points at").returns(ModelVersion.class);

    public static final Operation<Void, Void> DELETE_ALIAS = Operation.delete(MODEL + "/aliases/{alias}", "Delete an alias");

    // versions

    public static final Operation<NewModelVersionBody, ModelVersion> CREATE_VERSION =
            Operation.post(MODEL + "/versions", "Register the next version from a run's artifacts (runs:/… or mlflow-artifacts:/…)")
                    .accepts(NewModelVersionBody.class).returns(201, ModelVersion.class);

    public static final Operation<InputStream, ModelVersion> CREATE_VERSION_FROM_ARCHIVE =
            Operation.post(MODEL + "/versions/archive", "Register the next version from a directory sent as a zip archive (streamed)")
                    .query(QueryParameter.of("description", String.class, "the version's description"))
                    .query(QueryParameter.repeated("tag", String.class, "a tag as key=value"))
                    .acceptsBinary().returns(201, ModelVersion.class);

    public static final Operation<Void, Page<ModelVersion>> SEARCH_VERSIONS =
            Operation.get("/api/v1/model-versions", "Search model versions across models")
                    .searched("on name, version_number, run_id, source_path and tags, e.g. name = 'credit' AND "
                            + "tags.team = 'risk'", "page size (at most 200000, 10000 by default)", "e.g. version_number DESC")
                    .returns(new TypeReference<Page<ModelVersion>>() { });

    public static final Operation<Void, ModelVersion> GET_VERSION =
            Operation.get(VERSION, "Get a model version with its manifest").returns(ModelVersion.class);

    public static final Operation<VersionDescription, ModelVersion> UPDATE_VERSION =
            Operation.patch(VERSION, "Change a version's description")
                    .accepts(VersionDescription.class).returns(ModelVersion.class);

    public static final Operation<Void, Void> DELETE_VERSION = Operation.delete(VERSION, "Delete a model version");

    public static final Operation<StageTransition, ModelVersion> TRANSITION_STAGE =
            Operation.post(VERSION + "/stage", "Move a version to a stage, optionally archiving the others in it")
                    .accepts(StageTransition.class).returns(ModelVersion.class);

    public static final Operation<Void, DownloadUri> DOWNLOAD_URI =
            Operation.get(VERSION + "/download-uri", "Where MLflow's clients download the version's files from")
                    .returns(DownloadUri.class);

    public static final Operation<TagValue, Void> SET_VERSION_TAG =
            Operation.put(VERSION + "/tags/<key>", "Set a model version tag").accepts(TagValue.class);

    public static final Operation<Void, Void> DELETE_VERSION_TAG =
            Operation.delete(VERSION + "/tags/<key>", "Delete a model version tag");

    public static final Operation<Void, ModelCard> GET_CARD =
            Operation.get(VERSION + "/card", "The version's model card: the one saved, or a draft prefilled from what Keel knows")
                    .returns(ModelCard.class);

    public static final Operation<ModelCard, ModelCard> UPDATE_CARD =
            Operation.put(VERSION + "/card", "Save the version's model card, replacing the one before")
                    .accepts(ModelCard.class).returns(ModelCard.class);

    public static final Operation<EvaluationSet, EvaluationSetSummary> SET_EVALUATION =
            Operation.put(VERSION + "/evaluation", "Record the version's evaluation set (decisions, outcomes and sensitive "
                            + "groups per row) that fairness checks read, replacing the one before")
                    .accepts(EvaluationSet.class).returns(EvaluationSetSummary.class);

    public static final Operation<Void, RecordedEvaluationSet> GET_EVALUATION =
            Operation.get(VERSION + "/evaluation", "The version's recorded evaluation set with its summary and SHA-256")
                    .returns(RecordedEvaluationSet.class);

    public static final Operation<Void, InputStream> OPEN_FILE =
            Operation.get(VERSION + "/files/<path>", "Download one file of a version (streamed, its digest checked as it is read)")
                    .returnsBinary();

    public static final Operation<Void, ModelManifest> VERIFY_VERSION =
            Operation.post(VERSION + "/verify", "Re-hash every file of a version against its manifest")
                    .returns(ModelManifest.class);
}
