package dev.keel.registry;

import dev.keel.api.Tag;
import dev.keel.api.approval.EvaluationSet;
import dev.keel.api.approval.EvaluationSetSummary;
import dev.keel.api.approval.RecordedEvaluationSet;
import dev.keel.api.registry.AliasName;
import dev.keel.api.registry.Lineage;
import dev.keel.api.registry.ManifestFile;
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
import dev.keel.api.tracking.Run;
import dev.keel.api.tracking.TrackingService;
import dev.keel.core.Actor;
import dev.keel.core.ArtifactStore;
import dev.keel.core.AuditLog;
import dev.keel.core.Authorizer;
import dev.keel.core.Checks;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import dev.keel.core.Page;
import dev.keel.core.Permission;
import dev.keel.core.Resource;
import dev.keel.core.Visibility;
import dev.keel.registry.approval.ApprovalGate;
import dev.keel.registry.approval.EvaluationSetJson;
import dev.keel.registry.card.CardChecks;
import dev.keel.registry.card.ModelCardDraft;
import dev.keel.registry.card.ModelCardJson;
import dev.keel.registry.flavor.Inspection;
import dev.keel.registry.flavor.ModelInspector;
import dev.keel.registry.sql.JdbcEvaluationSetStore;
import dev.keel.registry.sql.JdbcEvaluationSetStore.StoredEvaluationSet;
import dev.keel.registry.sql.JdbcModelStore;
import dev.keel.registry.sql.JdbcModelStore.ModelRow;
import dev.keel.registry.sql.JdbcModelStore.NewVersionRow;
import dev.keel.registry.sql.JdbcModelStore.StoredCard;
import dev.keel.registry.sql.JdbcModelStore.VersionRow;
import dev.keel.registry.sql.SearchQuery;
import dev.keel.store.Database;
import dev.keel.store.SqlWork;
import dev.keel.store.sql.PageToken;
import dev.keel.tracking.search.OrderBy;
import dev.keel.tracking.search.SearchGrammar;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import static dev.keel.core.AuditLog.summary;

/**
 * The registry in-process, on the local SQL store (SQLite or PostgreSQL) and the same
 * content-addressed artifact store as tracking. A version's files are copied and hashed
 * before its transaction starts, so a slow upload never holds the write lock; the rows are
 * then written in one transaction, whole or not at all. Source runs are read through the
 * {@link TrackingService} interface, never its tables. Every change appends its event to the
 * {@link AuditLog} in the transaction that makes it.
 */
public final class EmbeddedRegistryService implements RegistryService {
    private final Database db;
    private final ArtifactStore artifacts;
    private final TrackingService tracking;
    private final Clock clock;
    private final AuditLog audit;
    private final Authorizer authorizer;
    private final ApprovalGate gate;

    private EmbeddedRegistryService(Database db, ArtifactStore artifacts, TrackingService tracking, Clock clock,
                                    AuditLog audit, Authorizer authorizer, ApprovalGate gate) {
        this.db = db;
        this.artifacts = artifacts;
        this.tracking = tracking;
        this.clock = clock;
        this.audit = audit;
        this.authorizer = authorizer;
        this.gate = gate;
    }

    /** Migrates the registry tables; every change is recorded in {@code audit}. */
    public static EmbeddedRegistryService open(Database db, ArtifactStore artifacts, TrackingService tracking, Clock clock,
                                               AuditLog audit) {
        return open(db, artifacts, tracking, clock, audit, Authorizer.ALLOW_ALL);
    }

    /**
     * As above, asking {@code authorizer} before every read and change of a registered model's
     * data (its versions are its data); the creator of a model gets MANAGE on it.
     */
    public static EmbeddedRegistryService open(Database db, ArtifactStore artifacts, TrackingService tracking, Clock clock,
                                               AuditLog audit, Authorizer authorizer) {
        return open(db, artifacts, tracking, clock, audit, authorizer, ApprovalGate.OFF);
    }

    /**
     * As above; when {@code gate} is enabled, moving a version to Staging or Production and
     * setting a protected alias are refused (403) here and go through an approval request instead.
     */
    public static EmbeddedRegistryService open(Database db, ArtifactStore artifacts, TrackingService tracking, Clock clock,
                                               AuditLog audit, Authorizer authorizer, ApprovalGate gate) {
        Objects.requireNonNull(audit, "audit");
        Objects.requireNonNull(authorizer, "authorizer");
        Objects.requireNonNull(gate, "gate");
        if (gate.mode() == ApprovalGate.Mode.AUTO) {
            throw new IllegalArgumentException("resolve the 'auto' approval gate against authentication before opening the registry");
        }
        db.migrate("registry");
        return new EmbeddedRegistryService(db, artifacts, tracking, clock, audit, authorizer, gate);
    }

    /** Without an audit trail: for this module's own tests only. */
    public static EmbeddedRegistryService open(Database db, ArtifactStore artifacts, TrackingService tracking, Clock clock) {
        return open(db, artifacts, tracking, clock, AuditLog.NONE);
    }

    // registered models

    @Override
    public RegisteredModel createRegisteredModel(Actor actor, NewRegisteredModel request) {
        Checks.requireNonNull("request", request);
        authorizer.requireCreate(actor, Resource.Kind.REGISTERED_MODEL);
        long now = clock.millis();
        Change change = new Change("registered_model.create", model(request.name()), summary("description",
                request.description(), "risk_tier", request.riskTier() == null ? null : request.riskTier().name(),
                "tags", request.tags().size()), tx -> {
                    authorizer.grantCreator(tx, actor, Resource.model(request.name()));
                    return null;
                });
        return write(actor, change, store -> {
            for (int attempt = 0; attempt < 10; attempt++) {
                if (store.modelByName(request.name()).isPresent()) {
                    throw KeelException.alreadyExists("registered model '" + request.name() + "' already exists");
                }
                long id = store.nextModelId();
                // another server may take the same id first (PostgreSQL); then look again
                if (store.insertModel(id, request.name(), request.description(), actor.name(), request.riskTier(), now)) {
                    store.upsertModelTags(id, distinct(request.tags()).values());
                    return model(store, request.name());
                }
            }
            throw new KeelException(ErrorCode.TEMPORARILY_UNAVAILABLE, "could not allocate a model id; try again");
        });
    }

    @Override
    public RegisteredModel getRegisteredModel(Actor actor, String name) {
        ModelName.requireValid("name", name);
        authorizer.require(actor, Permission.READ, Resource.model(name));
        return read(store -> model(store, name));
    }

    @Override
    public RegisteredModel renameRegisteredModel(Actor actor, String name, String newName) {
        ModelName.requireValid("name", name);
        authorizer.require(actor, Permission.MANAGE, Resource.model(name));
        ModelName.requireValid("new_name", newName);
        long now = clock.millis();
        Change change = new Change("registered_model.rename", model(name), summary("new_name", newName),
                tx -> {
                    authorizer.moved(tx, Resource.model(name), Resource.model(newName));
                    return null;
                });
        return write(actor, change, store -> {
            ModelRow model = existing(store, name);
            if (!newName.equals(name) && store.modelByName(newName).isPresent()) {
                throw KeelException.alreadyExists("registered model '" + newName + "' already exists");
            }
            store.renameModel(model.modelId(), newName, now);
            return model(store, newName);
        });
    }

    @Override
    public RegisteredModel updateRegisteredModel(Actor actor, String name, RegisteredModelUpdate update) {
        ModelName.requireValid("name", name);
        authorizer.require(actor, Permission.EDIT, Resource.model(name));
        Checks.requireNonNull("update", update);
        long now = clock.millis();
        Change change = new Change("registered_model.update", model(name), summary("description", update.description(),
                "risk_tier", update.riskTier() == null ? null : update.riskTier().name()));
        return write(actor, change, store -> {
            ModelRow model = existing(store, name);
            store.updateModel(model.modelId(), update.description() == null ? model.description() : update.description(),
                    update.riskTier() == null ? model.riskTier() : update.riskTier(), now);
            return model(store, name);
        });
    }

    @Override
    public void deleteRegisteredModel(Actor actor, String name) {
        ModelName.requireValid("name", name);
        authorizer.require(actor, Permission.MANAGE, Resource.model(name));
        // the blobs stay in the content-addressed store: a run or another version may hold the same bytes
        write(actor, new Change("registered_model.delete", model(name), summary()), store -> {
            store.deleteModel(existing(store, name).modelId());
            return null;
        });
    }

    @Override
    public Page<RegisteredModel> searchRegisteredModels(Actor actor, RegisteredModelSearch search) {
        Checks.requireNonNull("search", search);
        List<OrderBy> orderBy = search.orderBy().stream().map(SearchGrammar::parseRegisteredModelOrderBy).toList();
        var filter = SearchGrammar.parseRegisteredModelFilter(search.filter());
        // filtered inside the query: dropping rows from a page afterwards would leave it short and the paging wrong
        Visibility visible = authorizer.visible(actor, Resource.Kind.REGISTERED_MODEL);
        SearchQuery query = new SearchQuery(db.dialect(), SearchQuery.Target.REGISTERED_MODELS, filter, orderBy, visible);
        int fingerprint = Objects.hash("registered-models", search.filter(), search.orderBy());
        PageToken after = PageToken.decode(search.pageToken(), fingerprint);
        return read(store -> store.searchModels(query, after, search.maxResults(),
                key -> new PageToken(fingerprint, key).encode()));
    }

    @Override
    public void setRegisteredModelTag(Actor actor, String name, Tag tag) {
        ModelName.requireValid("name", name);
        authorizer.require(actor, Permission.EDIT, Resource.model(name));
        Checks.requireNonNull("tag", tag);
        long now = clock.millis();
        Change change = new Change("registered_model.set_tag", model(name), summary("key", tag.key(), "value", tag.value()));
        write(actor, change, store -> {
            long id = existing(store, name).modelId();
            store.upsertModelTags(id, List.of(tag));
            store.touchModel(id, now);
            return null;
        });
    }

    @Override
    public void deleteRegisteredModelTag(Actor actor, String name, String key) {
        ModelName.requireValid("name", name);
        authorizer.require(actor, Permission.EDIT, Resource.model(name));
        Checks.requireValidKey("tag key", key);
        long now = clock.millis();
        write(actor, new Change("registered_model.delete_tag", model(name), summary("key", key)), store -> {
            long id = existing(store, name).modelId();
            if (!store.deleteModelTag(id, key)) {
                throw KeelException.notFound("registered model '" + name + "' has no tag '" + key + "'");
            }
            store.touchModel(id, now);
            return null;
        });
    }

    // aliases

    @Override
    public void setAlias(Actor actor, String name, String alias, long version) {
        ModelName.requireValid("name", name);
        authorizer.require(actor, Permission.EDIT, Resource.model(name));
        AliasName.requireValid(alias);
        requireVersionNumber(version);
        if (gate.guards(alias)) {
            throw needsApproval(name, version, "pointing protected alias '" + alias + "' at version " + version
                    + " of registered model '" + name + "'", "--alias " + alias);
        }
        long now = clock.millis();
        write(actor, new Change("model_alias.set", model(name) + "/alias/" + alias, summary("version", version)), store -> {
            ModelRow model = existing(store, name);
            existingVersion(store, model, version);
            store.setAlias(model.modelId(), alias, version);
            store.touchModel(model.modelId(), now);
            return null;
        });
    }

    @Override
    public void deleteAlias(Actor actor, String name, String alias) {
        ModelName.requireValid("name", name);
        authorizer.require(actor, Permission.EDIT, Resource.model(name));
        AliasName.requireValid(alias);
        long now = clock.millis();
        write(actor, new Change("model_alias.delete", model(name) + "/alias/" + alias, summary()), store -> {
            ModelRow model = existing(store, name);
            if (!store.deleteAlias(model.modelId(), alias)) {
                throw noAlias(name, alias);
            }
            store.touchModel(model.modelId(), now);
            return null;
        });
    }

    @Override
    public ModelVersion getVersionByAlias(Actor actor, String name, String alias) {
        ModelName.requireValid("name", name);
        authorizer.require(actor, Permission.READ, Resource.model(name));
        AliasName.requireValid(alias);
        return read(store -> {
            ModelRow model = existing(store, name);
            long version = store.aliasVersion(model.modelId(), alias).orElseThrow(() -> noAlias(name, alias));
            return full(store, existingVersion(store, model, version));
        });
    }

    // model versions

    @Override
    public ModelVersion createModelVersion(Actor actor, NewModelVersion request) {
        Checks.requireNonNull("request", request);
        RunArtifactSource source = RunArtifactSource.parse(request.source());
        if (request.runId() != null && !request.runId().equals(source.runId())) {
            throw KeelException.invalid("'run_id' " + request.runId() + " is not the run 'source' names ("
                    + source.runId() + ")");
        }
        read(store -> existing(store, request.name()));
        authorizer.require(actor, Permission.EDIT, Resource.model(request.name()));
        // reading the run is the tracking service's check: READ on its experiment
        Run run = tracking.getRun(actor, source.runId());
        if (source.experimentId() != null && !source.experimentId().equals(run.info().experimentId())) {
            throw KeelException.invalid("'source' names experiment " + source.experimentId() + ", but run "
                    + source.runId() + " belongs to experiment " + run.info().experimentId());
        }
        List<ManifestFile> files = VersionFiles.fromRun(tracking, actor, source, artifacts);
        VersionFiles.requireExpected(files, request.expectedSha256());
        Lineage lineage = new Lineage(source.runId(), run.inputs().datasetInputs());
        return register(actor, request.name(), files, lineage, request.source(), source.runId(), request.runLink(),
                request.description(), request.tags());
    }

    @Override
    public ModelVersion createModelVersionFromDirectory(Actor actor, String name, Path directory, String description,
                                                        List<Tag> tags) {
        ModelName.requireValid("name", name);
        authorizer.require(actor, Permission.EDIT, Resource.model(name));
        Checks.requireNonNull("directory", directory);
        Checks.requireMaxLength("description", description, RegistryLimits.MAX_DESCRIPTION_LENGTH);
        List<Tag> given = tags == null ? List.of() : List.copyOf(tags);
        Checks.requireMaxSize("tags", given, RegistryLimits.MAX_TAGS);
        read(store -> existing(store, name));
        List<ManifestFile> files = VersionFiles.fromDirectory(directory, artifacts);
        return register(actor, name, files, Lineage.NONE, null, null, null, description, given);
    }

    /** Inspects the stored files, then writes the version: everything slow happens before the transaction. */
    private ModelVersion register(Actor actor, String name, List<ManifestFile> files, Lineage lineage, String source,
                                  String runId, String runLink, String description, List<Tag> tags) {
        Inspection inspection = ModelInspector.inspect(new StoredModelFiles(files, artifacts));
        long now = clock.millis();
        Function<ModelVersion, Change> change = created -> new Change("model_version.create",
                version(name, created.version()), summary("source", created.source(), "run_id", runId,
                        "flavor", inspection.flavor() == null ? null : inspection.flavor().wireName(), "files", files.size()));
        return write(actor, change, store -> {
            ModelRow model = existing(store, name);
            long version = store.allocateVersion(model.modelId());
            // an uploaded directory has no other home: its source is the version itself
            String where = source != null ? source : "models:/" + name + "/" + version;
            Checks.requireMaxLength("source", where, RegistryLimits.MAX_SOURCE_LENGTH);
            store.insertVersion(new NewVersionRow(model.modelId(), version, now, actor.name(), description, where,
                    runId, runLink, inspection.flavor(), inspection.modelFile(), inspection.signature(), lineage));
            store.insertFiles(model.modelId(), version, files);
            store.upsertVersionTags(model.modelId(), version, distinct(tags).values());
            store.touchModel(model.modelId(), now);
            return full(store, existingVersion(store, model, version));
        });
    }

    @Override
    public ModelVersion getModelVersion(Actor actor, String name, long version) {
        ModelName.requireValid("name", name);
        authorizer.require(actor, Permission.READ, Resource.model(name));
        requireVersionNumber(version);
        return read(store -> full(store, existingVersion(store, existing(store, name), version)));
    }

    @Override
    public ModelVersion updateModelVersion(Actor actor, String name, long version, String description) {
        ModelName.requireValid("name", name);
        authorizer.require(actor, Permission.EDIT, Resource.model(name));
        requireVersionNumber(version);
        Checks.requireMaxLength("description", description, RegistryLimits.MAX_DESCRIPTION_LENGTH);
        long now = clock.millis();
        Change change = new Change("model_version.update", version(name, version), summary("description", description));
        return write(actor, change, store -> {
            ModelRow model = existing(store, name);
            existingVersion(store, model, version);
            store.updateVersionDescription(model.modelId(), version, description, now);
            store.touchModel(model.modelId(), now);
            return full(store, existingVersion(store, model, version));
        });
    }

    @Override
    public void deleteModelVersion(Actor actor, String name, long version) {
        ModelName.requireValid("name", name);
        authorizer.require(actor, Permission.MANAGE, Resource.model(name));
        requireVersionNumber(version);
        long now = clock.millis();
        write(actor, new Change("model_version.delete", version(name, version), summary()), store -> {
            ModelRow model = existing(store, name);
            existingVersion(store, model, version);
            store.deleteVersion(model.modelId(), version);
            store.touchModel(model.modelId(), now);
            return null;
        });
    }

    @Override
    public Page<ModelVersion> searchModelVersions(Actor actor, ModelVersionSearch search) {
        Checks.requireNonNull("search", search);
        List<OrderBy> orderBy = search.orderBy().stream().map(SearchGrammar::parseModelVersionOrderBy).toList();
        var filter = SearchGrammar.parseModelVersionFilter(search.filter());
        Visibility visible = authorizer.visible(actor, Resource.Kind.REGISTERED_MODEL);
        SearchQuery query = new SearchQuery(db.dialect(), SearchQuery.Target.MODEL_VERSIONS, filter, orderBy, visible);
        int fingerprint = Objects.hash("model-versions", search.filter(), search.orderBy());
        PageToken after = PageToken.decode(search.pageToken(), fingerprint);
        return read(store -> store.searchVersions(query, after, search.maxResults(),
                key -> new PageToken(fingerprint, key).encode()));
    }

    @Override
    public List<ModelVersion> getLatestVersions(Actor actor, String name, List<Stage> stages) {
        ModelName.requireValid("name", name);
        authorizer.require(actor, Permission.READ, Resource.model(name));
        List<Stage> wanted = stages == null || stages.isEmpty() ? Arrays.asList(Stage.values()) : stages;
        for (int i = 0; i < wanted.size(); i++) {
            Checks.requireNonNull("stages[" + i + "]", wanted.get(i));
        }
        return read(store -> store.modelVersions(store.latestVersions(existing(store, name).modelId(), wanted)));
    }

    @Override
    public ModelVersion transitionStage(Actor actor, String name, long version, Stage stage,
                                        boolean archiveExistingVersions) {
        ModelName.requireValid("name", name);
        authorizer.require(actor, Permission.EDIT, Resource.model(name));
        requireVersionNumber(version);
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
        Change change = new Change("model_version.transition_stage", version(name, version), summary("stage",
                stage.wireName(), "archive_existing_versions", archiveExistingVersions));
        return write(actor, change, store -> {
            ModelRow model = existing(store, name);
            existingVersion(store, model, version);
            store.setStage(model.modelId(), version, stage, now);
            if (archiveExistingVersions) {
                store.archiveOthers(model.modelId(), stage, version, now);
            }
            store.touchModel(model.modelId(), now);
            return full(store, existingVersion(store, model, version));
        });
    }

    @Override
    public String getDownloadUri(Actor actor, String name, long version) {
        ModelVersion found = getModelVersion(actor, name, version);
        if (found.source().startsWith("runs:/")) {
            // MLflow's clients download through the artifact proxy, which knows runs by their artifact URI
            RunArtifactSource source = RunArtifactSource.parse(found.source());
            String base = tracking.getRun(actor, source.runId()).info().artifactUri();
            return source.path().isRoot() ? base : base + "/" + source.path().value();
        }
        return found.source();
    }

    @Override
    public void setModelVersionTag(Actor actor, String name, long version, Tag tag) {
        ModelName.requireValid("name", name);
        authorizer.require(actor, Permission.EDIT, Resource.model(name));
        requireVersionNumber(version);
        Checks.requireNonNull("tag", tag);
        long now = clock.millis();
        Change change = new Change("model_version.set_tag", version(name, version), summary("key", tag.key(),
                "value", tag.value()));
        write(actor, change, store -> {
            ModelRow model = existing(store, name);
            existingVersion(store, model, version);
            store.upsertVersionTags(model.modelId(), version, List.of(tag));
            store.touchVersion(model.modelId(), version, now);
            return null;
        });
    }

    @Override
    public void deleteModelVersionTag(Actor actor, String name, long version, String key) {
        ModelName.requireValid("name", name);
        authorizer.require(actor, Permission.EDIT, Resource.model(name));
        requireVersionNumber(version);
        Checks.requireValidKey("tag key", key);
        long now = clock.millis();
        write(actor, new Change("model_version.delete_tag", version(name, version), summary("key", key)), store -> {
            ModelRow model = existing(store, name);
            existingVersion(store, model, version);
            if (!store.deleteVersionTag(model.modelId(), version, key)) {
                throw KeelException.notFound("version " + version + " of registered model '" + name
                        + "' has no tag '" + key + "'");
            }
            store.touchVersion(model.modelId(), version, now);
            return null;
        });
    }

    // model cards

    @Override
    public ModelCard getModelCard(Actor actor, String name, long version) {
        ModelName.requireValid("name", name);
        authorizer.require(actor, Permission.READ, Resource.model(name));
        requireVersionNumber(version);
        record Found(RegisteredModel model, ModelVersion version, StoredCard card) {
        }
        Found found = read(store -> {
            ModelRow model = existing(store, name);
            ModelVersion full = full(store, existingVersion(store, model, version));
            return new Found(model(store, name), full, store.modelCard(model.modelId(), version).orElse(null));
        });
        if (found.card() != null) {
            return ModelCardJson.read(found.card().json())
                    .describing(name, version, found.model().riskTier(), found.version().manifest())
                    .savedBy(found.card().updatedBy(), found.card().lastUpdatedTime());
        }
        return ModelCardDraft.of(found.model(), found.version(), sourceRun(actor, found.version()));
    }

    @Override
    public ModelCard updateModelCard(Actor actor, String name, long version, ModelCard card) {
        ModelName.requireValid("name", name);
        authorizer.require(actor, Permission.EDIT, Resource.model(name));
        requireVersionNumber(version);
        ModelCard checked = CardChecks.requireValid(card, name, version);
        long now = clock.millis();
        return write(actor, new Change("model_card.update", version(name, version) + "/card", summary()), store -> {
            ModelRow model = existing(store, name);
            ModelVersion full = full(store, existingVersion(store, model, version));
            ModelCard saved = checked.describing(name, version, model.riskTier(), full.manifest())
                    .savedBy(actor.name(), now);
            store.upsertModelCard(model.modelId(), version, ModelCardJson.write(saved.withoutManifest()), actor.name(), now);
            store.touchVersion(model.modelId(), version, now);
            return saved;
        });
    }

    /** The run a draft is prefilled from; null when the version has none or the run is gone. */
    private Run sourceRun(Actor actor, ModelVersion version) {
        return SourceRun.of(tracking, actor, version);
    }

    // evaluation sets

    @Override
    public EvaluationSetSummary setEvaluationSet(Actor actor, String name, long version, EvaluationSet set) {
        ModelName.requireValid("name", name);
        authorizer.require(actor, Permission.EDIT, Resource.model(name));
        requireVersionNumber(version);
        Checks.requireNonNull("evaluation_set", set);
        // hashed before the transaction: a large set never holds the write lock while it is serialised
        String content = EvaluationSetJson.write(set);
        String sha256 = EvaluationSetJson.sha256(content);
        List<String> attributes = List.copyOf(set.sensitiveAttributes().keySet());
        long now = clock.millis();
        Change change = new Change("model_version.set_evaluation_set", version(name, version) + "/evaluation",
                summary("rows", set.rows(), "attributes", attributes, "sha256", sha256));
        return write(actor, change, store -> {
            ModelRow model = existing(store, name);
            existingVersion(store, model, version);
            new JdbcEvaluationSetStore(store).upsert(model.modelId(), version,
                    new StoredEvaluationSet(set.rows(), attributes, sha256, actor.name(), now, content));
            store.touchVersion(model.modelId(), version, now);
            return new EvaluationSetSummary(name, version, set.rows(), attributes, sha256, actor.name(), now);
        });
    }

    @Override
    public RecordedEvaluationSet getEvaluationSet(Actor actor, String name, long version) {
        ModelName.requireValid("name", name);
        authorizer.require(actor, Permission.READ, Resource.model(name));
        requireVersionNumber(version);
        StoredEvaluationSet stored = read(store -> {
            ModelRow model = existing(store, name);
            existingVersion(store, model, version);
            return new JdbcEvaluationSetStore(store).find(model.modelId(), version)
                    .orElseThrow(() -> KeelException.notFound("version " + version + " of registered model '" + name
                            + "' has no evaluation set; record one with 'keel models evaluation set " + name + " "
                            + version + " --file …'"));
        });
        return new RecordedEvaluationSet(new EvaluationSetSummary(name, version, stored.rows(), stored.attributes(),
                stored.sha256(), stored.recordedBy(), stored.recordedTime()), EvaluationSetJson.read(stored.content()));
    }

    // files

    @Override
    public InputStream openVersionFile(Actor actor, String name, long version, String path) {
        Checks.requireNonBlank("path", path);
        ModelVersion found = getModelVersion(actor, name, version);
        authorizer.require(actor, Permission.USE, Resource.model(name));
        ManifestFile file = found.manifest().file(path);
        if (file == null) {
            throw KeelException.notFound("version " + version + " of registered model '" + name
                    + "' has no file '" + path + "'");
        }
        return new NamedFileStream(open(found, file), found, file);
    }

    @Override
    public ModelManifest verifyVersion(Actor actor, String name, long version) {
        ModelVersion found = getModelVersion(actor, name, version);
        byte[] buffer = new byte[64 * 1024];
        for (ManifestFile file : found.manifest().files()) {
            long size = 0;
            try (InputStream in = open(found, file)) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    size += n;
                }
            } catch (IOException e) {
                throw tampered(found, file, e.getMessage());
            }
            if (size != file.size()) {
                throw tampered(found, file, "it is " + size + " bytes long, not " + file.size());
            }
        }
        return found.manifest();
    }

    private InputStream open(ModelVersion version, ManifestFile file) {
        try {
            return artifacts.open(file.sha256());
        } catch (KeelException e) {
            throw tampered(version, file, e.getMessage());
        }
    }

    private static KeelException tampered(ModelVersion version, ManifestFile file, String why) {
        return new KeelException(ErrorCode.RESOURCE_CONFLICT, "model file '" + file.path() + "' of version "
                + version.version() + " of registered model '" + version.name()
                + "' does not match its manifest digest " + file.sha256() + ": " + why);
    }

    /** Says which model file failed when the store finds, at the end of a read, that the bytes changed. */
    private static final class NamedFileStream extends FilterInputStream {
        private final ModelVersion version;
        private final ManifestFile file;

        NamedFileStream(InputStream in, ModelVersion version, ManifestFile file) {
            super(in);
            this.version = version;
            this.file = file;
        }

        @Override
        public int read() throws IOException {
            try {
                return in.read();
            } catch (IOException e) {
                throw named(e);
            }
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            try {
                return in.read(buffer, offset, length);
            } catch (IOException e) {
                throw named(e);
            }
        }

        private IOException named(IOException e) {
            return new IOException(tampered(version, file, e.getMessage()).getMessage(), e);
        }
    }

    // rules shared by the calls above

    private static RegisteredModel model(JdbcModelStore store, String name) throws SQLException {
        return store.registeredModels(List.of(existing(store, name))).get(0);
    }

    private static ModelRow existing(JdbcModelStore store, String name) throws SQLException {
        return store.modelByName(name)
                .orElseThrow(() -> KeelException.notFound("registered model '" + name + "' does not exist"));
    }

    private static VersionRow existingVersion(JdbcModelStore store, ModelRow model, long version) throws SQLException {
        return store.version(model.modelId(), version).orElseThrow(() -> KeelException.notFound(
                "version " + version + " of registered model '" + model.name() + "' does not exist"));
    }

    private static ModelVersion full(JdbcModelStore store, VersionRow row) throws SQLException {
        return store.modelVersions(List.of(row)).get(0);
    }

    private static void requireVersionNumber(long version) {
        if (version < 1) {
            throw KeelException.invalid("'version' must be a positive integer (got " + version + ")");
        }
    }

    private static KeelException needsApproval(String name, long version, String change, String option) {
        return new KeelException(ErrorCode.PERMISSION_DENIED, change + " needs an approval: request it with "
                + "'keel approvals request " + name + " " + version + " " + option + "'");
    }

    private static KeelException noAlias(String name, String alias) {
        return KeelException.notFound("registered model '" + name + "' has no alias '" + alias + "'");
    }

    /** Tags by key, the last of a key winning, in first-seen order. */
    private static Map<String, Tag> distinct(List<Tag> tags) {
        Map<String, Tag> byKey = new LinkedHashMap<>();
        for (Tag tag : tags) {
            byKey.remove(tag.key());
            byKey.put(tag.key(), tag);
        }
        return byKey;
    }

    // transactions

    private interface StoreWork<T> {
        T run(JdbcModelStore store) throws SQLException;
    }

    /** What a write records in the audit trail, and what else it does in the same transaction (or null). */
    private record Change(String action, String resource, Map<String, ?> summary, SqlWork<?> alongside) {
        Change(String action, String resource, Map<String, ?> summary) {
            this(action, resource, summary, null);
        }
    }

    private static String model(String name) {
        return "model/" + name;
    }

    private static String version(String name, long version) {
        return "model/" + name + "/version/" + version;
    }

    private <T> T write(Actor actor, Change change, StoreWork<T> work) {
        return write(actor, result -> change, work);
    }

    /** One write transaction, and its audit event in the same transaction. */
    private <T> T write(Actor actor, Function<T, Change> change, StoreWork<T> work) {
        return db.inTransaction(connection -> {
            T result = work.run(new JdbcModelStore(connection));
            Change done = change.apply(result);
            if (done.alongside() != null) {
                done.alongside().run(connection);
            }
            audit.record(connection, actor, done.action(), done.resource(), done.summary());
            return result;
        });
    }

    private <T> T read(StoreWork<T> work) {
        return db.read(connection -> work.run(new JdbcModelStore(connection)));
    }
}
