package dev.keel.api.registry;

import dev.keel.api.Tag;
import dev.keel.api.approval.EvaluationSet;
import dev.keel.api.approval.EvaluationSetSummary;
import dev.keel.api.approval.RecordedEvaluationSet;
import dev.keel.api.registry.card.ModelCard;
import dev.keel.core.Actor;
import dev.keel.core.Page;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The model registry: registered models, their numbered versions with hashed files and a
 * manifest, stages, aliases, tags and search, in MLflow's vocabulary.
 *
 * <p>Two implementations answer this one contract: the embedded service over the local store
 * and the HTTP client over a Keel server; one contract test suite runs against both. Every
 * failure is a {@link dev.keel.core.KeelException}: an unknown model or version is
 * RESOURCE_DOES_NOT_EXIST, a taken name RESOURCE_ALREADY_EXISTS, bad input
 * INVALID_PARAMETER_VALUE naming the field.
 */
public interface RegistryService {

    // registered models

    RegisteredModel createRegisteredModel(Actor actor, NewRegisteredModel request);

    RegisteredModel getRegisteredModel(Actor actor, String name);

    /** Renames the model; its versions, aliases and tags follow it. */
    RegisteredModel renameRegisteredModel(Actor actor, String name, String newName);

    RegisteredModel updateRegisteredModel(Actor actor, String name, RegisteredModelUpdate update);

    /** Deletes the model with all its versions, aliases and tags. The files stay in the content-addressed store. */
    void deleteRegisteredModel(Actor actor, String name);

    Page<RegisteredModel> searchRegisteredModels(Actor actor, RegisteredModelSearch search);

    void setRegisteredModelTag(Actor actor, String name, Tag tag);

    void deleteRegisteredModelTag(Actor actor, String name, String key);

    // aliases

    /** Points {@code alias} at {@code version}, moving it if it pointed elsewhere. */
    void setAlias(Actor actor, String name, String alias, long version);

    void deleteAlias(Actor actor, String name, String alias);

    ModelVersion getVersionByAlias(Actor actor, String name, String alias);

    // model versions

    /**
     * Registers the next version of {@code request.name()} from a run's artifacts: every file
     * under the source path is copied into the artifact store and hashed, the flavor and
     * signature are read, and the lineage taken from the run. All or nothing.
     */
    ModelVersion createModelVersion(Actor actor, NewModelVersion request);

    /**
     * Registers the next version of {@code name} from a local (or uploaded) directory. A
     * symbolic link leading out of the directory is refused, naming the file.
     */
    ModelVersion createModelVersionFromDirectory(Actor actor, String name, Path directory, String description,
                                                 List<Tag> tags);

    ModelVersion getModelVersion(Actor actor, String name, long version);

    ModelVersion updateModelVersion(Actor actor, String name, long version, String description);

    void deleteModelVersion(Actor actor, String name, long version);

    Page<ModelVersion> searchModelVersions(Actor actor, ModelVersionSearch search);

    /** The newest version in each of {@code stages} (every stage when empty), ordered by stage. */
    List<ModelVersion> getLatestVersions(Actor actor, String name, List<Stage> stages);

    /**
     * Moves a version to {@code stage}; with {@code archiveExistingVersions} (only for Staging
     * and Production) the other versions in that stage move to Archived in the same transaction.
     */
    ModelVersion transitionStage(Actor actor, String name, long version, Stage stage, boolean archiveExistingVersions);

    /** Where MLflow's clients download the version's files from. */
    String getDownloadUri(Actor actor, String name, long version);

    void setModelVersionTag(Actor actor, String name, long version, Tag tag);

    void deleteModelVersionTag(Actor actor, String name, long version, String key);

    // model cards

    /**
     * The version's model card: the one last saved, or, when none was saved yet, a draft
     * ({@link ModelCard#draft()}) prefilled from the manifest, the source run's params and final
     * metrics, its dataset inputs and the registered model's description, owner, tier and tags.
     * The manifest's facts (flavor, signature, files) always come from the manifest.
     */
    ModelCard getModelCard(Actor actor, String name, long version);

    /**
     * Saves {@code card} as the version's model card, replacing any before it, and returns it as
     * stored. The card may leave the name and version out; if it gives them they must be this
     * version's. Refused whole (400 naming the field) when a required field is missing or a text
     * or list is over its limit.
     */
    ModelCard updateModelCard(Actor actor, String name, long version, ModelCard card);

    // evaluation sets

    /**
     * Records {@code set} as the version's evaluation set, the data its approval's fairness checks
     * are computed on, replacing any before it; returns its summary with the SHA-256 of its
     * canonical content. Needs EDIT on the model. Refused whole (400 naming the field) when a
     * limit of {@link EvaluationSet} is exceeded.
     */
    EvaluationSetSummary setEvaluationSet(Actor actor, String name, long version, EvaluationSet set);

    /** The version's recorded evaluation set; RESOURCE_DOES_NOT_EXIST when none was recorded. Needs READ. */
    RecordedEvaluationSet getEvaluationSet(Actor actor, String name, long version);

    // files

    /**
     * Opens one file of a version; the caller closes the stream. The stream verifies the digest
     * as it is read and fails at the end, naming the file, if the stored bytes changed.
     */
    InputStream openVersionFile(Actor actor, String name, long version, String path);

    /**
     * Re-hashes every file of the version against its manifest and returns the manifest; throws
     * a {@link dev.keel.core.KeelException} naming the first file whose digest no longer matches.
     */
    ModelManifest verifyVersion(Actor actor, String name, long version);
}
