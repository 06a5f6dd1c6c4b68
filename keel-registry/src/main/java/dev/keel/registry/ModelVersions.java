package dev.keel.registry;

import dev.keel.api.Tag;
import dev.keel.api.registry.Lineage;
import dev.keel.api.registry.ManifestFile;
import dev.keel.api.registry.ModelManifest;
import dev.keel.api.registry.ModelVersion;
import dev.keel.api.registry.ModelVersionSearch;
import dev.keel.api.registry.NewModelVersion;
import dev.keel.api.registry.RegistryLimits;
import dev.keel.api.registry.Stage;
import dev.keel.api.tracking.Run;
import dev.keel.api.tracking.TrackingService;
import dev.keel.core.Actor;
import dev.keel.core.ArtifactStore;
import dev.keel.core.AuditAction;
import dev.keel.core.Checks;
import dev.keel.core.KeelException;
import dev.keel.core.Page;
import dev.keel.core.Permission;
import dev.keel.core.Resource;
import dev.keel.registry.approval.ApprovalGate;
import dev.keel.registry.flavor.Inspection;
import dev.keel.registry.flavor.ModelInspector;
import dev.keel.registry.sql.JdbcModelStore;
import dev.keel.registry.sql.JdbcModelStore.ModelRow;
import dev.keel.registry.sql.JdbcModelStore.NewVersionRow;
import dev.keel.registry.sql.SearchQuery;
import dev.keel.store.AuditedStore;
import dev.keel.store.AuditedStore.Events;
import dev.keel.store.sql.PageRequest;

import java.io.InputStream;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;

import static dev.keel.core.AuditLog.summary;
import static dev.keel.registry.RegistryRules.existing;
import static dev.keel.registry.RegistryRules.existingVersion;
import static dev.keel.registry.RegistryRules.full;
import static dev.keel.registry.RegistryRules.needsApproval;
import static dev.keel.registry.RegistryRules.versionResource;

/**
 * A registered model's numbered versions: registered from a run's artifacts or a directory
 * (files copied, hashed and inspected before the transaction), described, tagged, moved
 * between stages (through the approval gate when it is on), searched, and read back file by
 * file with every digest checked.
 */
record ModelVersions(AuditedStore<JdbcModelStore> store, StoredVersionFiles files, ArtifactStore artifacts, TrackingService tracking, Clock clock, RegistryAccess access, ApprovalGate gate) {

    ModelVersion createModelVersion(Actor actor, NewModelVersion request) {
        Checks.requireNonNull("request", request);
        RunArtifactSource source = RunArtifactSource.parse(request.source());
        if (request.runId() != null && !request.runId().equals(source.runId())) {
            throw KeelException.invalid("'run_id' " + request.runId() + " is not the run 'source' names ("
                    + source.runId() + ")");
        }
        store.read(tables -> existing(tables, request.name()));
        access.authorizer().require(actor, Permission.EDIT, Resource.model(request.name()));
        // reading the run is the tracking service's check: READ on its experiment
        Run run = tracking.getRun(actor, source.runId());
        if (source.experimentId() != null && !source.experimentId().equals(run.info().experimentId())) {
            throw KeelException.invalid("'source' names experiment " + source.experimentId() + ", but run "
                    + source.runId() + " belongs to experiment " + run.info().experimentId());
        }
        List<ManifestFile> copied = VersionFiles.fromRun(tracking, actor, source, artifacts);
        VersionFiles.requireExpected(copied, request.expectedSha256());
        Lineage lineage = new Lineage(source.runId(), run.inputs().datasetInputs());
        return register(actor, request.name(), copied, lineage, request.source(), source.runId(), request.runLink(),
                request.description(), request.tags());
    }

    ModelVersion createModelVersionFromDirectory(Actor actor, String name, Path directory, String description,
                                                        List<Tag> tags) {
        access.requireOnModel(actor, Permission.EDIT, name);
        Checks.requireNonNull("directory", directory);
        Checks.requireMaxLength("description", description, RegistryLimits.MAX_DESCRIPTION_LENGTH);
        List<Tag> given = tags == null ? List.of() : List.copyOf(tags);
        Checks.requireMaxSize("tags", given, RegistryLimits.MAX_TAGS);
        store.read(tables -> existing(tables, name));
        List<ManifestFile> copied = VersionFiles.fromDirectory(directory, artifacts);
        return register(actor, name, copied, Lineage.NONE, null, null, null, description, given);
    }

    /** Inspects the stored files, then writes the version: everything slow happens before the transaction. */
    private ModelVersion register(Actor actor, String name, List<ManifestFile> copied, Lineage lineage, String source,
                                  String runId, String runLink, String description, List<Tag> tags) {
        Inspection inspection = ModelInspector.inspect(new StoredModelFiles(copied, artifacts));
        long now = clock.millis();
        return store.write(actor, (tables, events) -> {
            ModelRow model = existing(tables, name);
            long version = tables.allocateVersion(model.modelId());
            // an uploaded directory has no other home: its source is the version itself
            String where = source != null ? source : "models:/" + name + "/" + version;
            Checks.requireMaxLength("source", where, RegistryLimits.MAX_SOURCE_LENGTH);
            tables.insertVersion(new NewVersionRow(model.modelId(), version, now, actor.name(), description, where,
                    runId, runLink, inspection.flavor(), inspection.modelFile(), inspection.signature(), lineage));
            tables.insertFiles(model.modelId(), version, copied);
            tables.upsertVersionTags(model.modelId(), version, Tag.byKey(tags).values());
            tables.touchModel(model.modelId(), now);
            ModelVersion created = full(tables, existingVersion(tables, model, version));
            events.record(AuditAction.MODEL_VERSION_CREATE, versionResource(name, created.version()), summary("source",
                    created.source(), "run_id", runId, "flavor", inspection.flavor() == null ? null
                            : inspection.flavor().wireName(), "files", copied.size()));
            return created;
        });
    }

    ModelVersion getModelVersion(Actor actor, String name, long version) {
        access.requireOnVersion(actor, Permission.READ, name, version);
        return store.read(tables -> full(tables, existingVersion(tables, existing(tables, name), version)));
    }

    ModelVersion updateModelVersion(Actor actor, String name, long version, String description) {
        access.requireOnVersion(actor, Permission.EDIT, name, version);
        Checks.requireMaxLength("description", description, RegistryLimits.MAX_DESCRIPTION_LENGTH);
        long now = clock.millis();
        return changeVersion(actor, name, version, (tables, model, events) -> {
            tables.updateVersionDescription(model.modelId(), version, description, now);
            tables.touchModel(model.modelId(), now);
            events.record(AuditAction.MODEL_VERSION_UPDATE, versionResource(name, version), summary("description",
                    description));
            return full(tables, existingVersion(tables, model, version));
        });
    }

    void deleteModelVersion(Actor actor, String name, long version) {
        access.requireOnVersion(actor, Permission.MANAGE, name, version);
        long now = clock.millis();
        changeVersion(actor, name, version, (tables, model, events) -> {
            tables.deleteVersion(model.modelId(), version);
            tables.touchModel(model.modelId(), now);
            events.record(AuditAction.MODEL_VERSION_DELETE, versionResource(name, version), summary());
            return null;
        });
    }

    Page<ModelVersion> searchModelVersions(Actor actor, ModelVersionSearch search) {
        Checks.requireNonNull("search", search);
        SearchQuery query = access.search(store.database().dialect(), actor, SearchQuery.Target.MODEL_VERSIONS,
                search.filter(), search.orderBy());
        PageRequest page = PageRequest.of(search.pageToken(), search.maxResults(), "model-versions", search.filter(),
                search.orderBy());
        return store.read(tables -> tables.searchVersions(query, page));
    }

    List<ModelVersion> getLatestVersions(Actor actor, String name, List<Stage> stages) {
        access.requireOnModel(actor, Permission.READ, name);
        List<Stage> wanted = stages == null || stages.isEmpty() ? Arrays.asList(Stage.values()) : stages;
        for (int i = 0; i < wanted.size(); i++) {
            Checks.requireNonNull("stages[" + i + "]", wanted.get(i));
        }
        return store.read(tables -> tables.modelVersions(tables.latestVersions(existing(tables, name).modelId(), wanted)));
    }

    ModelVersion transitionStage(Actor actor, String name, long version, Stage stage,
                                        boolean archiveExistingVersions) {
        access.requireOnVersion(actor, Permission.EDIT, name, version);
        Checks.requireNonNull("stage", stage);
        if (archiveExistingVersions && stage != Stage.STAGING && stage != Stage.PRODUCTION) {
            throw KeelException.invalid("'archive_existing_versions' applies only to transitions to Staging or "
                    + "Production, not to " + stage.wireName());
        }
        if (gate.guards(stage)) {
            throw needsApproval(name, version, "moving version " + version + " of registered model '" + name + "' to "
                    + stage.wireName(), "--stage " + stage.wireName());
        }
        long now = clock.millis();
        return changeVersion(actor, name, version, (tables, model, events) -> {
            new StageChange(name, version, stage, archiveExistingVersions).apply(tables, model.modelId(), now, events, null);
            return full(tables, existingVersion(tables, model, version));
        });
    }

    String getDownloadUri(Actor actor, String name, long version) {
        ModelVersion found = getModelVersion(actor, name, version);
        if (found.source().startsWith("runs:/")) {
            // MLflow's clients download through the artifact proxy, which knows runs by their artifact URI
            RunArtifactSource source = RunArtifactSource.parse(found.source());
            String base = tracking.getRun(actor, source.runId()).info().artifactUri();
            return source.path().isRoot() ? base : base + "/" + source.path().value();
        }
        return found.source();
    }

    void setModelVersionTag(Actor actor, String name, long version, Tag tag) {
        access.requireOnVersion(actor, Permission.EDIT, name, version);
        Checks.requireNonNull("tag", tag);
        long now = clock.millis();
        changeVersion(actor, name, version, (tables, model, events) -> {
            tables.upsertVersionTags(model.modelId(), version, List.of(tag));
            tables.touchVersion(model.modelId(), version, now);
            events.record(AuditAction.MODEL_VERSION_SET_TAG, versionResource(name, version), summary("key", tag.key(),
                    "value", tag.value()));
            return null;
        });
    }

    void deleteModelVersionTag(Actor actor, String name, long version, String key) {
        access.requireOnVersion(actor, Permission.EDIT, name, version);
        Checks.requireValidKey("tag key", key);
        long now = clock.millis();
        changeVersion(actor, name, version, (tables, model, events) -> {
            if (!tables.deleteVersionTag(model.modelId(), version, key)) {
                throw KeelException.notFound("version " + version + " of registered model '" + name
                        + "' has no tag '" + key + "'");
            }
            tables.touchVersion(model.modelId(), version, now);
            events.record(AuditAction.MODEL_VERSION_DELETE_TAG, versionResource(name, version), summary("key", key));
            return null;
        });
    }

    /** A change to one existing version, with its model's row. */
    @FunctionalInterface
    private interface VersionChange<T> {
        T apply(JdbcModelStore tables, ModelRow model, Events events) throws SQLException;
    }

    /** Runs {@code change} as one audited write, once the version is found in that same transaction. */
    private <T> T changeVersion(Actor actor, String name, long version, VersionChange<T> change) {
        return store.write(actor, (tables, events) -> {
            ModelRow model = existing(tables, name);
            existingVersion(tables, model, version);
            return change.apply(tables, model, events);
        });
    }

    InputStream openVersionFile(Actor actor, String name, long version, String path) {
        Checks.requireNonBlank("path", path);
        ModelVersion found = getModelVersion(actor, name, version);
        access.authorizer().require(actor, Permission.USE, Resource.model(name));
        ManifestFile file = found.manifest().file(path);
        if (file == null) {
            throw KeelException.notFound("version " + version + " of registered model '" + name
                    + "' has no file '" + path + "'");
        }
        return files.open(found, file);
    }

    ModelManifest verifyVersion(Actor actor, String name, long version) {
        ModelVersion found = getModelVersion(actor, name, version);
        files.verify(found);
        return found.manifest();
    }
}
