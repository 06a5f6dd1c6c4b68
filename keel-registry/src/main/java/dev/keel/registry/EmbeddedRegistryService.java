package dev.keel.registry;

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
import dev.keel.api.registry.RegistryService;
import dev.keel.api.registry.Stage;
import dev.keel.api.registry.card.ModelCard;
import dev.keel.api.tracking.TrackingService;
import dev.keel.core.Actor;
import dev.keel.core.ArtifactStore;
import dev.keel.core.AuditAction;
import dev.keel.core.AuditLog;
import dev.keel.core.Authorizer;
import dev.keel.core.Checks;
import dev.keel.core.KeelException;
import dev.keel.core.Page;
import dev.keel.core.Permission;
import dev.keel.core.Resource;
import dev.keel.registry.approval.ApprovalGate;
import dev.keel.registry.sql.JdbcModelStore;
import dev.keel.registry.sql.JdbcModelStore.ModelRow;
import dev.keel.registry.sql.SearchQuery;
import dev.keel.store.AuditedStore;
import dev.keel.store.Database;
import dev.keel.store.NextId;
import dev.keel.store.sql.PageRequest;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

import static dev.keel.core.AuditLog.summary;
import static dev.keel.registry.RegistryRules.existing;
import static dev.keel.registry.RegistryRules.existingVersion;
import static dev.keel.registry.RegistryRules.full;
import static dev.keel.registry.RegistryRules.model;
import static dev.keel.registry.RegistryRules.modelResource;
import static dev.keel.registry.RegistryRules.needsApproval;
import static dev.keel.registry.RegistryRules.noAlias;

/**
 * The registry in-process, on the local SQL store (SQLite or PostgreSQL) and the same
 * content-addressed artifact store as tracking. A version's files are copied and hashed
 * before its transaction starts, so a slow upload never holds the write lock; the rows are
 * then written in one transaction of the {@link AuditedStore}, whole or not at all, with the
 * event that records it. Source runs are read through the {@link TrackingService} interface,
 * never its tables. Registered models and aliases are here; versions are {@link ModelVersions}',
 * model cards {@link ModelCards}', evaluation sets {@link EvaluationSets}'.
 */
public final class EmbeddedRegistryService implements RegistryService {
    private final AuditedStore<JdbcModelStore> store;
    private final Clock clock;
    private final RegistryAccess access;
    private final ApprovalGate gate;
    private final ModelVersions versions;
    private final ModelCards cards;
    private final EvaluationSets evaluationSets;

    private EmbeddedRegistryService(Database db, ArtifactStore artifacts, TrackingService tracking, Clock clock,
                                    AuditLog audit, Authorizer authorizer, ApprovalGate gate) {
        this.store = new AuditedStore<>(db, audit, JdbcModelStore::new);
        this.clock = clock;
        this.access = new RegistryAccess(authorizer);
        this.gate = gate;
        this.versions = new ModelVersions(store, new StoredVersionFiles(artifacts), artifacts, tracking, clock, access, gate);
        this.cards = new ModelCards(store, access, tracking, clock);
        this.evaluationSets = new EvaluationSets(store, access, clock);
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
        access.authorizer().requireCreate(actor, Resource.Kind.REGISTERED_MODEL);
        long now = clock.millis();
        return store.write(actor, (tables, events) -> {
            if (tables.modelByName(request.name()).isPresent()) {
                throw KeelException.alreadyExists("registered model '" + request.name() + "' already exists");
            }
            long id = NextId.claim("a model id", tables::nextModelId, candidate -> tables.insertModel(candidate,
                    request.name(), request.description(), actor.name(), request.riskTier(), now) ? candidate : null);
            tables.upsertModelTags(id, Tag.byKey(request.tags()).values());
            access.authorizer().grantCreator(events.connection(), actor, Resource.model(request.name()));
            events.record(AuditAction.REGISTERED_MODEL_CREATE, modelResource(request.name()), summary("description",
                    request.description(), "risk_tier", request.riskTier() == null ? null : request.riskTier().name(),
                    "tags", request.tags().size()));
            return model(tables, request.name());
        });
    }

    @Override
    public RegisteredModel getRegisteredModel(Actor actor, String name) {
        access.requireOnModel(actor, Permission.READ, name);
        return store.read(tables -> model(tables, name));
    }

    @Override
    public RegisteredModel renameRegisteredModel(Actor actor, String name, String newName) {
        access.requireOnModel(actor, Permission.MANAGE, name);
        ModelName.requireValid("new_name", newName);
        long now = clock.millis();
        return store.write(actor, (tables, events) -> {
            ModelRow model = existing(tables, name);
            if (!newName.equals(name) && tables.modelByName(newName).isPresent()) {
                throw KeelException.alreadyExists("registered model '" + newName + "' already exists");
            }
            tables.renameModel(model.modelId(), newName, now);
            access.authorizer().moved(events.connection(), Resource.model(name), Resource.model(newName));
            events.record(AuditAction.REGISTERED_MODEL_RENAME, modelResource(name), summary("new_name", newName));
            return model(tables, newName);
        });
    }

    @Override
    public RegisteredModel updateRegisteredModel(Actor actor, String name, RegisteredModelUpdate update) {
        access.requireOnModel(actor, Permission.EDIT, name);
        Checks.requireNonNull("update", update);
        long now = clock.millis();
        return store.write(actor, (tables, events) -> {
            ModelRow model = existing(tables, name);
            tables.updateModel(model.modelId(), update.description() == null ? model.description() : update.description(),
                    update.riskTier() == null ? model.riskTier() : update.riskTier(), now);
            events.record(AuditAction.REGISTERED_MODEL_UPDATE, modelResource(name), summary("description",
                    update.description(), "risk_tier", update.riskTier() == null ? null : update.riskTier().name()));
            return model(tables, name);
        });
    }

    @Override
    public void deleteRegisteredModel(Actor actor, String name) {
        access.requireOnModel(actor, Permission.MANAGE, name);
        // the blobs stay in the content-addressed store: a run or another version may hold the same bytes
        store.write(actor, (tables, events) -> {
            tables.deleteModel(existing(tables, name).modelId());
            events.record(AuditAction.REGISTERED_MODEL_DELETE, modelResource(name), summary());
            return null;
        });
    }

    @Override
    public Page<RegisteredModel> searchRegisteredModels(Actor actor, RegisteredModelSearch search) {
        Checks.requireNonNull("search", search);
        SearchQuery query = access.search(store.database().dialect(), actor, SearchQuery.Target.REGISTERED_MODELS,
                search.filter(), search.orderBy());
        PageRequest page = PageRequest.of(search.pageToken(), search.maxResults(), "registered-models", search.filter(),
                search.orderBy());
        return store.read(tables -> tables.searchModels(query, page));
    }

    @Override
    public void setRegisteredModelTag(Actor actor, String name, Tag tag) {
        access.requireOnModel(actor, Permission.EDIT, name);
        Checks.requireNonNull("tag", tag);
        long now = clock.millis();
        store.write(actor, (tables, events) -> {
            long id = existing(tables, name).modelId();
            tables.upsertModelTags(id, List.of(tag));
            tables.touchModel(id, now);
            events.record(AuditAction.REGISTERED_MODEL_SET_TAG, modelResource(name), summary("key", tag.key(),
                    "value", tag.value()));
            return null;
        });
    }

    @Override
    public void deleteRegisteredModelTag(Actor actor, String name, String key) {
        access.requireOnModel(actor, Permission.EDIT, name);
        Checks.requireValidKey("tag key", key);
        long now = clock.millis();
        store.write(actor, (tables, events) -> {
            long id = existing(tables, name).modelId();
            if (!tables.deleteModelTag(id, key)) {
                throw KeelException.notFound("registered model '" + name + "' has no tag '" + key + "'");
            }
            tables.touchModel(id, now);
            events.record(AuditAction.REGISTERED_MODEL_DELETE_TAG, modelResource(name), summary("key", key));
            return null;
        });
    }

    // aliases

    @Override
    public void setAlias(Actor actor, String name, String alias, long version) {
        access.requireOnModel(actor, Permission.EDIT, name);
        AliasName.requireValid(alias);
        Checks.requirePositive("version", version);
        if (gate.guards(alias)) {
            throw needsApproval(name, version, "pointing protected alias '" + alias + "' at version " + version
                    + " of registered model '" + name + "'", "--alias " + alias);
        }
        long now = clock.millis();
        store.write(actor, (tables, events) -> {
            ModelRow model = existing(tables, name);
            existingVersion(tables, model, version);
            new AliasChange(name, alias, version).apply(tables, model.modelId(), now, events, null);
            return null;
        });
    }

    @Override
    public void deleteAlias(Actor actor, String name, String alias) {
        access.requireOnModel(actor, Permission.EDIT, name);
        AliasName.requireValid(alias);
        long now = clock.millis();
        store.write(actor, (tables, events) -> {
            ModelRow model = existing(tables, name);
            if (!tables.deleteAlias(model.modelId(), alias)) {
                throw noAlias(name, alias);
            }
            tables.touchModel(model.modelId(), now);
            events.record(AuditAction.MODEL_ALIAS_DELETE, modelResource(name) + "/alias/" + alias, summary());
            return null;
        });
    }

    @Override
    public ModelVersion getVersionByAlias(Actor actor, String name, String alias) {
        access.requireOnModel(actor, Permission.READ, name);
        AliasName.requireValid(alias);
        return store.read(tables -> {
            ModelRow model = existing(tables, name);
            long version = tables.aliasVersion(model.modelId(), alias).orElseThrow(() -> noAlias(name, alias));
            return full(tables, existingVersion(tables, model, version));
        });
    }

    // model versions

    @Override
    public ModelVersion createModelVersion(Actor actor, NewModelVersion request) {
        return versions.createModelVersion(actor, request);
    }

    @Override
    public ModelVersion createModelVersionFromDirectory(Actor actor, String name, Path directory, String description, List<Tag> tags) {
        return versions.createModelVersionFromDirectory(actor, name, directory, description, tags);
    }

    @Override
    public ModelVersion getModelVersion(Actor actor, String name, long version) {
        return versions.getModelVersion(actor, name, version);
    }

    @Override
    public ModelVersion updateModelVersion(Actor actor, String name, long version, String description) {
        return versions.updateModelVersion(actor, name, version, description);
    }

    @Override
    public void deleteModelVersion(Actor actor, String name, long version) {
        versions.deleteModelVersion(actor, name, version);
    }

    @Override
    public Page<ModelVersion> searchModelVersions(Actor actor, ModelVersionSearch search) {
        return versions.searchModelVersions(actor, search);
    }

    @Override
    public List<ModelVersion> getLatestVersions(Actor actor, String name, List<Stage> stages) {
        return versions.getLatestVersions(actor, name, stages);
    }

    @Override
    public ModelVersion transitionStage(Actor actor, String name, long version, Stage stage, boolean archiveExistingVersions) {
        return versions.transitionStage(actor, name, version, stage, archiveExistingVersions);
    }

    @Override
    public String getDownloadUri(Actor actor, String name, long version) {
        return versions.getDownloadUri(actor, name, version);
    }

    @Override
    public void setModelVersionTag(Actor actor, String name, long version, Tag tag) {
        versions.setModelVersionTag(actor, name, version, tag);
    }

    @Override
    public void deleteModelVersionTag(Actor actor, String name, long version, String key) {
        versions.deleteModelVersionTag(actor, name, version, key);
    }

    @Override
    public InputStream openVersionFile(Actor actor, String name, long version, String path) {
        return versions.openVersionFile(actor, name, version, path);
    }

    @Override
    public ModelManifest verifyVersion(Actor actor, String name, long version) {
        return versions.verifyVersion(actor, name, version);
    }

    // model cards and evaluation sets

    @Override
    public ModelCard getModelCard(Actor actor, String name, long version) {
        return cards.get(actor, name, version);
    }

    @Override
    public ModelCard updateModelCard(Actor actor, String name, long version, ModelCard card) {
        return cards.update(actor, name, version, card);
    }

    @Override
    public EvaluationSetSummary setEvaluationSet(Actor actor, String name, long version, EvaluationSet set) {
        return evaluationSets.set(actor, name, version, set);
    }

    @Override
    public RecordedEvaluationSet getEvaluationSet(Actor actor, String name, long version) {
        return evaluationSets.get(actor, name, version);
    }
}
