package dev.keel.tracking;

import dev.keel.api.Tag;
import dev.keel.api.tracking.ArtifactEntry;
import dev.keel.api.tracking.DatasetInput;
import dev.keel.api.tracking.Experiment;
import dev.keel.api.tracking.ExperimentSearch;
import dev.keel.api.tracking.LifecycleStage;
import dev.keel.api.tracking.Limits;
import dev.keel.api.tracking.LogBatch;
import dev.keel.api.tracking.Metric;
import dev.keel.api.tracking.NewExperiment;
import dev.keel.api.tracking.NewRun;
import dev.keel.api.tracking.Param;
import dev.keel.api.tracking.Run;
import dev.keel.api.tracking.RunInfo;
import dev.keel.api.tracking.RunSearch;
import dev.keel.api.tracking.RunStatus;
import dev.keel.api.tracking.RunUpdate;
import dev.keel.api.tracking.TrackingService;
import dev.keel.core.Actor;
import dev.keel.core.ArtifactPath;
import dev.keel.core.ArtifactStore;
import dev.keel.core.AuditAction;
import dev.keel.core.AuditLog;
import dev.keel.core.Authorizer;
import dev.keel.core.Checks;
import dev.keel.core.Ids;
import dev.keel.core.KeelException;
import dev.keel.core.Page;
import dev.keel.core.Permission;
import dev.keel.core.Resource;
import dev.keel.core.Visibility;
import dev.keel.store.AuditedStore;
import dev.keel.store.Database;
import dev.keel.store.NextId;
import dev.keel.store.search.OrderBy;
import dev.keel.store.search.SearchGrammar;
import dev.keel.store.sql.PageRequest;
import dev.keel.tracking.sql.ExperimentQuery;
import dev.keel.tracking.sql.JdbcTrackingStore;
import dev.keel.tracking.sql.PlannerStatistics;
import dev.keel.tracking.sql.RunQuery;

import java.io.InputStream;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static dev.keel.core.AuditLog.summary;
import static dev.keel.tracking.TrackingRules.RUN_NAME_TAG;
import static dev.keel.tracking.TrackingRules.existing;
import static dev.keel.tracking.TrackingRules.existingRun;
import static dev.keel.tracking.TrackingRules.experiment;
import static dev.keel.tracking.TrackingRules.experimentId;
import static dev.keel.tracking.TrackingRules.requireActive;
import static dev.keel.tracking.TrackingRules.run;

/**
 * Tracking in-process, on the local SQL store (SQLite or PostgreSQL) and artifact store, with
 * MLflow's semantics. Every write is one transaction of the {@link AuditedStore}: it happens
 * whole or not at all, together with its event in the {@link AuditLog}. Experiments and runs
 * are here; what a run records is {@link RunRecords}', its files {@link RunArtifacts}'.
 */
public final class EmbeddedTrackingService implements TrackingService {
    /** Who made what Keel makes by itself (the default experiment). */
    private static final Actor KEEL = new Actor("keel");

    private final AuditedStore<JdbcTrackingStore> store;
    private final Clock clock;
    private final Ids ids;
    private final PlannerStatistics statistics;
    private final TrackingAccess access;
    private final RunRecords records;
    private final RunArtifacts artifacts;

    private EmbeddedTrackingService(Database db, ArtifactStore artifacts, Clock clock, Ids ids, AuditLog audit,
                                    Authorizer authorizer) {
        this.store = new AuditedStore<>(db, audit, JdbcTrackingStore::new);
        this.clock = clock;
        this.ids = ids;
        this.statistics = new PlannerStatistics(db);
        this.access = new TrackingAccess(authorizer, store);
        this.records = new RunRecords(store, access, ids);
        this.artifacts = new RunArtifacts(store, access, artifacts);
    }

    /**
     * Migrates the tracking tables and makes sure the default experiment exists; every change
     * is recorded in {@code audit}.
     */
    public static EmbeddedTrackingService open(Database db, ArtifactStore artifacts, Clock clock, Ids ids, AuditLog audit) {
        return open(db, artifacts, clock, ids, audit, Authorizer.ALLOW_ALL);
    }

    /**
     * As above, asking {@code authorizer} before every read and change of an experiment's data
     * (a run's belongs to its experiment); the creator of an experiment gets MANAGE on it.
     */
    public static EmbeddedTrackingService open(Database db, ArtifactStore artifacts, Clock clock, Ids ids, AuditLog audit,
                                               Authorizer authorizer) {
        Objects.requireNonNull(audit, "audit");
        Objects.requireNonNull(authorizer, "authorizer");
        db.migrate("tracking");
        EmbeddedTrackingService service = new EmbeddedTrackingService(db, artifacts, clock, ids, audit, authorizer);
        long now = clock.millis();
        service.store.write(KEEL, (tables, events) -> {
            if (tables.insertExperiment(0, Experiment.DEFAULT_NAME, "mlflow-artifacts:/0", now)) {
                events.record(AuditAction.EXPERIMENT_CREATE, experiment(Experiment.DEFAULT_ID),
                        summary("name", Experiment.DEFAULT_NAME));
            } else {
                events.unchanged();
            }
            return null;
        });
        service.statistics.start();
        return service;
    }

    /** Without an audit trail: for this module's own tests only. */
    public static EmbeddedTrackingService open(Database db, ArtifactStore artifacts, Clock clock, Ids ids) {
        return open(db, artifacts, clock, ids, AuditLog.NONE);
    }

    // experiments

    @Override
    public Experiment createExperiment(Actor actor, NewExperiment request) {
        Checks.requireNonNull("request", request);
        String name = request.name();
        access.authorizer().requireCreate(actor, Resource.Kind.EXPERIMENT);
        long now = clock.millis();
        return store.write(actor, (tables, events) -> {
            if (tables.experimentByName(name).isPresent()) {
                throw KeelException.alreadyExists("experiment '" + name + "' already exists");
            }
            Experiment created = NextId.claim("an experiment id", tables::nextExperimentId, id -> {
                String location = request.artifactLocation() == null || request.artifactLocation().isBlank()
                        ? "mlflow-artifacts:/" + id : request.artifactLocation();
                return tables.insertExperiment(id, name, location, now) ? tables.experiment(id).orElseThrow() : null;
            });
            long id = Long.parseLong(created.experimentId());
            tables.upsertExperimentTags(id, Tag.byKey(request.tags()).values());
            access.authorizer().grantCreator(events.connection(), actor, Resource.experiment(created.experimentId()));
            events.record(AuditAction.EXPERIMENT_CREATE, experiment(created.experimentId()), summary("name", name,
                    "artifact_location", created.artifactLocation(), "tags", request.tags().size()));
            return tables.experiment(id).orElseThrow();
        });
    }

    @Override
    public Experiment getExperiment(Actor actor, String experimentId) {
        long id = experimentId(experimentId);
        Experiment experiment = store.read(tables -> existing(tables, experimentId, id));
        access.requireOnExperiment(actor, Permission.READ, experimentId);
        return experiment;
    }

    @Override
    public Experiment getExperimentByName(Actor actor, String name) {
        Checks.requireNonBlank("experiment_name", name);
        Experiment experiment = store.read(tables -> tables.experimentByName(name))
                .orElseThrow(() -> KeelException.notFound("experiment named '" + name + "' does not exist"));
        access.requireOnExperiment(actor, Permission.READ, experiment.experimentId());
        return experiment;
    }

    @Override
    public Page<Experiment> searchExperiments(Actor actor, ExperimentSearch search) {
        Checks.requireNonNull("search", search);
        List<OrderBy> orderBy = search.orderBy().stream().map(SearchGrammar::parseExperimentOrderBy).toList();
        var filter = SearchGrammar.parseExperimentFilter(search.filter());
        // filtered inside the query: dropping rows from a page afterwards would leave it short and the paging wrong
        Visibility visible = access.authorizer().visible(actor, Resource.Kind.EXPERIMENT);
        ExperimentQuery query = new ExperimentQuery(store.database().dialect(), filter, orderBy, search.viewType(), visible);
        PageRequest page = PageRequest.of(search.pageToken(), search.maxResults(), "experiments", search.filter(),
                search.orderBy(), search.viewType());
        return store.read(tables -> tables.searchExperiments(query, page));
    }

    @Override
    public void renameExperiment(Actor actor, String experimentId, String newName) {
        long id = experimentId(experimentId);
        access.requireOnExperiment(actor, Permission.EDIT, experimentId);
        Checks.requireText("new_name", newName, Limits.MAX_EXPERIMENT_NAME_LENGTH);
        long now = clock.millis();
        store.write(actor, (tables, events) -> {
            requireActive(existing(tables, experimentId, id), "renamed");
            var holder = tables.experimentByName(newName);
            if (holder.isPresent() && !holder.get().experimentId().equals(experimentId)) {
                throw KeelException.alreadyExists("experiment '" + newName + "' already exists");
            }
            tables.renameExperiment(id, newName, now);
            events.record(AuditAction.EXPERIMENT_RENAME, experiment(experimentId), summary("new_name", newName));
            return null;
        });
    }

    @Override
    public void deleteExperiment(Actor actor, String experimentId) {
        // as MLflow: deleting marks the experiment's runs deleted too, restoring restores them
        setExperimentStage(actor, experimentId, LifecycleStage.DELETED, AuditAction.EXPERIMENT_DELETE,
                "experiment '" + experimentId + "' is already deleted");
    }

    @Override
    public void restoreExperiment(Actor actor, String experimentId) {
        setExperimentStage(actor, experimentId, LifecycleStage.ACTIVE, AuditAction.EXPERIMENT_RESTORE,
                "experiment '" + experimentId + "' is not deleted; only a deleted experiment can be restored");
    }

    private void setExperimentStage(Actor actor, String experimentId, LifecycleStage stage, AuditAction action,
                                    String notFrom) {
        long id = experimentId(experimentId);
        access.requireOnExperiment(actor, Permission.MANAGE, experimentId);
        long now = clock.millis();
        store.write(actor, (tables, events) -> {
            if (existing(tables, experimentId, id).lifecycleStage() == stage) {
                throw KeelException.notFound(notFrom);
            }
            tables.setExperimentStage(id, stage, now);
            events.record(action, experiment(experimentId), summary());
            return null;
        });
    }

    @Override
    public void setExperimentTag(Actor actor, String experimentId, Tag tag) {
        long id = experimentId(experimentId);
        access.requireOnExperiment(actor, Permission.EDIT, experimentId);
        Checks.requireNonNull("tag", tag);
        store.write(actor, (tables, events) -> {
            requireActive(existing(tables, experimentId, id), "tagged");
            tables.upsertExperimentTags(id, List.of(tag));
            events.record(AuditAction.EXPERIMENT_SET_TAG, experiment(experimentId), summary("key", tag.key(),
                    "value", tag.value()));
            return null;
        });
    }

    @Override
    public void deleteExperimentTag(Actor actor, String experimentId, String key) {
        long id = experimentId(experimentId);
        access.requireOnExperiment(actor, Permission.EDIT, experimentId);
        Checks.requireValidKey("tag key", key);
        store.write(actor, (tables, events) -> {
            requireActive(existing(tables, experimentId, id), "untagged");
            if (!tables.deleteExperimentTag(id, key)) {
                throw KeelException.notFound("experiment '" + experimentId + "' has no tag '" + key + "'");
            }
            events.record(AuditAction.EXPERIMENT_DELETE_TAG, experiment(experimentId), summary("key", key));
            return null;
        });
    }

    // runs

    @Override
    public Run createRun(Actor actor, NewRun request) {
        Checks.requireNonNull("request", request);
        String experimentId = request.experimentId() == null ? Experiment.DEFAULT_ID : request.experimentId();
        long experimentKey = experimentId(experimentId);
        access.requireOnExperiment(actor, Permission.EDIT, experimentId);
        Map<String, Tag> tags = Tag.byKey(request.tags());
        String given = request.runName() == null || request.runName().isBlank() ? null : request.runName();
        String tagged = tags.containsKey(RUN_NAME_TAG) ? tags.get(RUN_NAME_TAG).value() : null;
        if (given != null && tagged != null && !given.equals(tagged)) {
            throw KeelException.invalid("run_name '" + given + "' and tag '" + RUN_NAME_TAG + "' '" + tagged
                    + "' differ; give one of them, or the same name in both");
        }
        String runId = ids.newRunId();
        String name = given != null ? given : tagged != null ? tagged : RunNames.forRunId(runId);
        Checks.requireMaxLength("run_name", name, Limits.MAX_RUN_NAME_LENGTH);
        tags.put(RUN_NAME_TAG, new Tag(RUN_NAME_TAG, name));
        RunInfo info = new RunInfo(runId, name, experimentId, request.userId() == null ? actor.name() : request.userId(),
                RunStatus.RUNNING, request.startTime() == null ? clock.millis() : request.startTime(), null,
                "mlflow-artifacts:/" + experimentId + "/" + runId + "/artifacts", LifecycleStage.ACTIVE);
        Run created = store.write(actor, (tables, events) -> {
            Experiment experiment = existing(tables, experimentId, experimentKey);
            if (experiment.lifecycleStage() != LifecycleStage.ACTIVE) {
                throw KeelException.invalid("experiment '" + experimentId + "' is deleted; runs can only be created "
                        + "in an active experiment");
            }
            tables.insertRun(info);
            tables.upsertRunTags(runId, tags.values());
            events.record(AuditAction.RUN_CREATE, run(runId), summary("experiment_id", experimentId, "run_name", name,
                    "tags", tags.size()));
            return tables.withData(List.of(info)).get(0);
        });
        statistics.runCreated();
        return created;
    }

    @Override
    public Run getRun(Actor actor, String runId) {
        access.requireOnRun(actor, Permission.READ, runId);
        return store.read(tables -> tables.withData(List.of(existingRun(tables, runId))).get(0));
    }

    @Override
    public RunInfo updateRun(Actor actor, String runId, RunUpdate update) {
        access.requireOnRun(actor, Permission.EDIT, runId);
        Checks.requireNonNull("update", update);
        String newName = update.runName() == null || update.runName().isBlank() ? null : update.runName();
        return store.write(actor, (tables, events) -> {
            RunInfo run = existingRun(tables, runId);
            requireActive(run);
            RunInfo updated = new RunInfo(runId, newName == null ? run.runName() : newName, run.experimentId(),
                    run.userId(), update.status() == null ? run.status() : update.status(),
                    run.startTime(), update.endTime() == null ? run.endTime() : update.endTime(),
                    run.artifactUri(), run.lifecycleStage());
            tables.updateRun(runId, updated.status(), updated.endTime(), updated.runName());
            if (newName != null) {
                tables.upsertRunTags(runId, List.of(new Tag(RUN_NAME_TAG, newName)));
            }
            events.record(AuditAction.RUN_UPDATE, run(runId), summary("status", update.status() == null ? null
                    : update.status().name(), "end_time", update.endTime(), "run_name", newName));
            return updated;
        });
    }

    @Override
    public void deleteRun(Actor actor, String runId) {
        setRunStage(actor, runId, LifecycleStage.DELETED, AuditAction.RUN_DELETE);
    }

    @Override
    public void restoreRun(Actor actor, String runId) {
        setRunStage(actor, runId, LifecycleStage.ACTIVE, AuditAction.RUN_RESTORE);
    }

    private void setRunStage(Actor actor, String runId, LifecycleStage stage, AuditAction action) {
        access.requireOnRun(actor, Permission.MANAGE, runId);
        store.write(actor, (tables, events) -> {
            tables.runStage(runId).orElseThrow(() -> TrackingRules.noRun(runId));
            tables.setRunStage(runId, stage);
            events.record(action, run(runId), summary());
            return null;
        });
    }

    @Override
    public Page<Run> searchRuns(Actor actor, RunSearch search) {
        Checks.requireNonNull("search", search);
        List<OrderBy> orderBy = search.orderBy().stream().map(SearchGrammar::parseRunOrderBy).toList();
        var filter = SearchGrammar.parseRunFilter(search.filter());
        if (search.experimentIds().isEmpty()) {
            return new Page<>(List.of(), null);
        }
        List<Long> experimentIds = search.experimentIds().stream().map(Long::parseLong).distinct().toList();
        // the runs searched are those of the named experiments, so checking each one filters the search itself
        for (Long experimentId : experimentIds) {
            access.requireOnExperiment(actor, Permission.READ, String.valueOf(experimentId));
        }
        RunQuery query = new RunQuery(store.database().dialect(), experimentIds, filter, orderBy, search.viewType());
        PageRequest page = PageRequest.of(search.pageToken(), search.maxResults(), "runs", search.experimentIds(),
                search.filter(), search.orderBy(), search.viewType());
        return store.database().read(connection -> {
            statistics.load(connection);
            return new JdbcTrackingStore(connection).searchRuns(query, page);
        });
    }

    // what a run records

    @Override
    public void logMetric(Actor actor, String runId, Metric metric) {
        records.logMetric(actor, runId, metric);
    }

    @Override
    public void logParam(Actor actor, String runId, Param param) {
        records.logParam(actor, runId, param);
    }

    @Override
    public void setTag(Actor actor, String runId, Tag tag) {
        records.setTag(actor, runId, tag);
    }

    @Override
    public void deleteTag(Actor actor, String runId, String key) {
        records.deleteTag(actor, runId, key);
    }

    @Override
    public void logBatch(Actor actor, String runId, LogBatch batch) {
        records.logBatch(actor, runId, batch);
    }

    @Override
    public Page<Metric> getMetricHistory(Actor actor, String runId, String key, int maxResults, String pageToken) {
        return records.getMetricHistory(actor, runId, key, maxResults, pageToken);
    }

    @Override
    public void logInputs(Actor actor, String runId, List<DatasetInput> inputs) {
        records.logInputs(actor, runId, inputs);
    }

    @Override
    public void logModel(Actor actor, String runId, String modelJson) {
        records.logModel(actor, runId, modelJson);
    }

    // artifacts

    @Override
    public void logArtifact(Actor actor, String runId, ArtifactPath path, InputStream content) {
        artifacts.logArtifact(actor, runId, path, content);
    }

    @Override
    public InputStream openArtifact(Actor actor, String runId, ArtifactPath path) {
        return artifacts.openArtifact(actor, runId, path);
    }

    @Override
    public List<ArtifactEntry> listArtifacts(Actor actor, String runId, ArtifactPath directory) {
        return artifacts.listArtifacts(actor, runId, directory);
    }

    @Override
    public void deleteArtifact(Actor actor, String runId, ArtifactPath path) {
        artifacts.deleteArtifact(actor, runId, path);
    }
}
