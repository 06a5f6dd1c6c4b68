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
import dev.keel.core.AuditLog;
import dev.keel.core.Authorizer;
import dev.keel.core.Checks;
import dev.keel.core.ErrorCode;
import dev.keel.core.Ids;
import dev.keel.core.KeelException;
import dev.keel.core.Page;
import dev.keel.core.Permission;
import dev.keel.core.Resource;
import dev.keel.core.StoredBlob;
import dev.keel.core.Visibility;
import dev.keel.store.Database;
import dev.keel.store.SqlWork;
import dev.keel.store.sql.PageToken;
import dev.keel.tracking.search.OrderBy;
import dev.keel.tracking.search.SearchGrammar;
import dev.keel.tracking.sql.ExperimentQuery;
import dev.keel.tracking.sql.JdbcTrackingStore;
import dev.keel.tracking.sql.JdbcTrackingStore.StoredArtifact;
import dev.keel.tracking.sql.PlannerStatistics;
import dev.keel.tracking.sql.RunQuery;

import java.io.InputStream;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import static dev.keel.core.AuditLog.summary;

/**
 * Tracking in-process, on the local SQL store (SQLite or PostgreSQL) and artifact store, with
 * MLflow's semantics. Every write is one transaction: it happens whole or not at all, together
 * with its event in the {@link AuditLog}.
 */
public final class EmbeddedTrackingService implements TrackingService {
    /** The tag MLflow keeps equal to a run's name. */
    static final String RUN_NAME_TAG = "mlflow.runName";
    /** The run tag where MLflow keeps the JSON list of the models logged with a run. */
    static final String LOGGED_MODELS_TAG = "mlflow.log-model.history";
    private static final int WRITE_ATTEMPTS = 3;
    /** Who made what Keel makes by itself (the default experiment). */
    private static final Actor KEEL = new Actor("keel");

    private final Database db;
    private final ArtifactStore artifacts;
    private final Clock clock;
    private final Ids ids;
    private final PlannerStatistics statistics;
    private final AuditLog audit;
    private final Authorizer authorizer;

    private EmbeddedTrackingService(Database db, ArtifactStore artifacts, Clock clock, Ids ids, AuditLog audit,
                                    Authorizer authorizer) {
        this.db = db;
        this.artifacts = artifacts;
        this.clock = clock;
        this.ids = ids;
        this.statistics = new PlannerStatistics(db);
        this.audit = audit;
        this.authorizer = authorizer;
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
        service.write(KEEL, created -> created ? new Change("experiment.create", "experiment/" + Experiment.DEFAULT_ID,
                        summary("name", Experiment.DEFAULT_NAME)) : null,
                store -> store.insertExperiment(0, Experiment.DEFAULT_NAME, "mlflow-artifacts:/0", now));
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
        authorizer.requireCreate(actor, Resource.Kind.EXPERIMENT);
        long now = clock.millis();
        Function<Experiment, Change> change = created -> new Change("experiment.create", experiment(created.experimentId()),
                summary("name", name, "artifact_location", created.artifactLocation(), "tags", request.tags().size()),
                tx -> {
                    authorizer.grantCreator(tx, actor, Resource.experiment(created.experimentId()));
                    return null;
                });
        return write(actor, change, store -> {
            for (int attempt = 0; attempt < 10; attempt++) {
                if (store.experimentByName(name).isPresent()) {
                    throw KeelException.alreadyExists("experiment '" + name + "' already exists");
                }
                long id = store.nextExperimentId();
                String location = request.artifactLocation() == null || request.artifactLocation().isBlank()
                        ? "mlflow-artifacts:/" + id : request.artifactLocation();
                // Another server may take the same id first (PostgreSQL); then look again.
                if (store.insertExperiment(id, name, location, now)) {
                    store.upsertExperimentTags(id, distinct(request.tags()).values());
                    return store.experiment(id).orElseThrow();
                }
            }
            throw new KeelException(ErrorCode.TEMPORARILY_UNAVAILABLE, "could not allocate an experiment id; try again");
        });
    }

    @Override
    public Experiment getExperiment(Actor actor, String experimentId) {
        long id = experimentId(experimentId);
        Experiment experiment = read(store -> store.experiment(id)).orElseThrow(() -> noExperiment(experimentId));
        requireOnExperiment(actor, Permission.READ, experimentId);
        return experiment;
    }

    @Override
    public Experiment getExperimentByName(Actor actor, String name) {
        Checks.requireNonBlank("experiment_name", name);
        Experiment experiment = read(store -> store.experimentByName(name))
                .orElseThrow(() -> KeelException.notFound("experiment named '" + name + "' does not exist"));
        requireOnExperiment(actor, Permission.READ, experiment.experimentId());
        return experiment;
    }

    @Override
    public Page<Experiment> searchExperiments(Actor actor, ExperimentSearch search) {
        Checks.requireNonNull("search", search);
        List<OrderBy> orderBy = search.orderBy().stream().map(SearchGrammar::parseExperimentOrderBy).toList();
        var filter = SearchGrammar.parseExperimentFilter(search.filter());
        // filtered inside the query: dropping rows from a page afterwards would leave it short and the paging wrong
        Visibility visible = authorizer.visible(actor, Resource.Kind.EXPERIMENT);
        ExperimentQuery query = new ExperimentQuery(db.dialect(), filter, orderBy, search.viewType(), visible);
        int fingerprint = Objects.hash("experiments", search.filter(), search.orderBy(), search.viewType());
        PageToken after = PageToken.decode(search.pageToken(), fingerprint);
        return read(store -> store.searchExperiments(query, after, search.maxResults(),
                key -> new PageToken(fingerprint, key).encode()));
    }

    @Override
    public void renameExperiment(Actor actor, String experimentId, String newName) {
        long id = experimentId(experimentId);
        requireOnExperiment(actor, Permission.EDIT, experimentId);
        Checks.requireNonBlank("new_name", newName);
        Checks.requireMaxLength("new_name", newName, Limits.MAX_EXPERIMENT_NAME_LENGTH);
        long now = clock.millis();
        write(actor, new Change("experiment.rename", experiment(experimentId), summary("new_name", newName)), store -> {
            requireActive(existing(store, experimentId, id), "renamed");
            var holder = store.experimentByName(newName);
            if (holder.isPresent() && !holder.get().experimentId().equals(experimentId)) {
                throw KeelException.alreadyExists("experiment '" + newName + "' already exists");
            }
            store.renameExperiment(id, newName, now);
            return null;
        });
    }

    @Override
    public void deleteExperiment(Actor actor, String experimentId) {
        long id = experimentId(experimentId);
        requireOnExperiment(actor, Permission.MANAGE, experimentId);
        long now = clock.millis();
        write(actor, new Change("experiment.delete", experiment(experimentId), summary()), store -> {
            // as MLflow: deleting marks the experiment's runs deleted too, restoring restores them
            if (existing(store, experimentId, id).lifecycleStage() != LifecycleStage.ACTIVE) {
                throw KeelException.notFound("experiment '" + experimentId + "' is already deleted");
            }
            store.setExperimentStage(id, LifecycleStage.DELETED, now);
            return null;
        });
    }

    @Override
    public void restoreExperiment(Actor actor, String experimentId) {
        long id = experimentId(experimentId);
        requireOnExperiment(actor, Permission.MANAGE, experimentId);
        long now = clock.millis();
        write(actor, new Change("experiment.restore", experiment(experimentId), summary()), store -> {
            if (existing(store, experimentId, id).lifecycleStage() != LifecycleStage.DELETED) {
                throw KeelException.notFound("experiment '" + experimentId + "' is not deleted; only a deleted experiment can be restored");
            }
            store.setExperimentStage(id, LifecycleStage.ACTIVE, now);
            return null;
        });
    }

    @Override
    public void setExperimentTag(Actor actor, String experimentId, Tag tag) {
        long id = experimentId(experimentId);
        requireOnExperiment(actor, Permission.EDIT, experimentId);
        Checks.requireNonNull("tag", tag);
        Change change = new Change("experiment.set_tag", experiment(experimentId), summary("key", tag.key(), "value", tag.value()));
        write(actor, change, store -> {
            requireActive(existing(store, experimentId, id), "tagged");
            store.upsertExperimentTags(id, List.of(tag));
            return null;
        });
    }

    @Override
    public void deleteExperimentTag(Actor actor, String experimentId, String key) {
        long id = experimentId(experimentId);
        requireOnExperiment(actor, Permission.EDIT, experimentId);
        Checks.requireValidKey("tag key", key);
        write(actor, new Change("experiment.delete_tag", experiment(experimentId), summary("key", key)), store -> {
            requireActive(existing(store, experimentId, id), "untagged");
            if (!store.deleteExperimentTag(id, key)) {
                throw KeelException.notFound("experiment '" + experimentId + "' has no tag '" + key + "'");
            }
            return null;
        });
    }

    // runs

    @Override
    public Run createRun(Actor actor, NewRun request) {
        Checks.requireNonNull("request", request);
        String experimentId = request.experimentId() == null ? Experiment.DEFAULT_ID : request.experimentId();
        long experimentKey = experimentId(experimentId);
        requireOnExperiment(actor, Permission.EDIT, experimentId);
        Map<String, Tag> tags = distinct(request.tags());
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
        Change change = new Change("run.create", run(runId), summary("experiment_id", experimentId, "run_name", name,
                "tags", tags.size()));
        Run created = write(actor, change, store -> {
            Experiment experiment = existing(store, experimentId, experimentKey);
            if (experiment.lifecycleStage() != LifecycleStage.ACTIVE) {
                throw KeelException.invalid("experiment '" + experimentId + "' is deleted; runs can only be created "
                        + "in an active experiment");
            }
            store.insertRun(info);
            store.upsertRunTags(runId, tags.values());
            return store.withData(List.of(info)).get(0);
        });
        statistics.runCreated();
        return created;
    }

    @Override
    public Run getRun(Actor actor, String runId) {
        Ids.requireRunId("run_id", runId);
        requireOnRun(actor, Permission.READ, runId);
        return read(store -> {
            RunInfo info = store.runInfo(runId).orElseThrow(() -> noRun(runId));
            return store.withData(List.of(info)).get(0);
        });
    }

    @Override
    public RunInfo updateRun(Actor actor, String runId, RunUpdate update) {
        Ids.requireRunId("run_id", runId);
        requireOnRun(actor, Permission.EDIT, runId);
        Checks.requireNonNull("update", update);
        String newName = update.runName() == null || update.runName().isBlank() ? null : update.runName();
        Change change = new Change("run.update", run(runId), summary("status", update.status() == null ? null
                : update.status().name(), "end_time", update.endTime(), "run_name", newName));
        return write(actor, change, store -> {
            RunInfo run = store.runInfo(runId).orElseThrow(() -> noRun(runId));
            requireActive(run);
            RunInfo updated = new RunInfo(runId, newName == null ? run.runName() : newName, run.experimentId(),
                    run.userId(), update.status() == null ? run.status() : update.status(),
                    run.startTime(), update.endTime() == null ? run.endTime() : update.endTime(),
                    run.artifactUri(), run.lifecycleStage());
            store.updateRun(runId, updated.status(), updated.endTime(), updated.runName());
            if (newName != null) {
                store.upsertRunTags(runId, List.of(new Tag(RUN_NAME_TAG, newName)));
            }
            return updated;
        });
    }

    @Override
    public void deleteRun(Actor actor, String runId) {
        setRunStage(actor, runId, LifecycleStage.DELETED);
    }

    @Override
    public void restoreRun(Actor actor, String runId) {
        setRunStage(actor, runId, LifecycleStage.ACTIVE);
    }

    private void setRunStage(Actor actor, String runId, LifecycleStage stage) {
        Ids.requireRunId("run_id", runId);
        requireOnRun(actor, Permission.MANAGE, runId);
        String action = stage == LifecycleStage.DELETED ? "run.delete" : "run.restore";
        write(actor, new Change(action, run(runId), summary()), store -> {
            store.runStage(runId).orElseThrow(() -> noRun(runId));
            store.setRunStage(runId, stage);
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
            requireOnExperiment(actor, Permission.READ, String.valueOf(experimentId));
        }
        RunQuery query = new RunQuery(db.dialect(), experimentIds, filter, orderBy, search.viewType());
        int fingerprint = Objects.hash("runs", search.experimentIds(), search.filter(), search.orderBy(), search.viewType());
        PageToken after = PageToken.decode(search.pageToken(), fingerprint);
        return db.read(connection -> {
            statistics.load(connection);
            return new JdbcTrackingStore(connection).searchRuns(query, after, search.maxResults(),
                    key -> new PageToken(fingerprint, key).encode());
        });
    }

    // what a run records

    @Override
    public void logMetric(Actor actor, String runId, Metric metric) {
        Ids.requireRunId("run_id", runId);
        requireOnRun(actor, Permission.EDIT, runId);
        Checks.requireNonNull("metric", metric);
        Change change = new Change("run.log_metric", run(runId), summary("key", metric.key(), "value", metric.value(),
                "step", metric.step(), "timestamp", metric.timestamp()));
        write(actor, change, store -> {
            requireActiveRun(store, runId);
            store.insertMetric(runId, metric);
            return null;
        });
    }

    @Override
    public void logParam(Actor actor, String runId, Param param) {
        Ids.requireRunId("run_id", runId);
        requireOnRun(actor, Permission.EDIT, runId);
        Checks.requireNonNull("param", param);
        write(actor, new Change("run.log_param", run(runId), summary("key", param.key(), "value", param.value())), store -> {
            requireActiveRun(store, runId);
            String stored = store.params(runId, List.of(param.key())).get(param.key());
            if (stored == null) {
                store.insertParams(runId, List.of(param));
            } else if (!stored.equals(param.value())) {
                throw paramChanged(param, stored);
            }
            return null;
        });
    }

    @Override
    public void setTag(Actor actor, String runId, Tag tag) {
        Ids.requireRunId("run_id", runId);
        requireOnRun(actor, Permission.EDIT, runId);
        Checks.requireNonNull("tag", tag);
        if (tag.key().equals(RUN_NAME_TAG)) {
            Checks.requireMaxLength("run_name", tag.value(), Limits.MAX_RUN_NAME_LENGTH);
        }
        write(actor, new Change("run.set_tag", run(runId), summary("key", tag.key(), "value", tag.value())), store -> {
            requireActiveRun(store, runId);
            store.upsertRunTags(runId, List.of(tag));
            if (tag.key().equals(RUN_NAME_TAG) && !tag.value().isBlank()) {
                store.renameRun(runId, tag.value());
            }
            return null;
        });
    }

    @Override
    public void deleteTag(Actor actor, String runId, String key) {
        Ids.requireRunId("run_id", runId);
        requireOnRun(actor, Permission.EDIT, runId);
        Checks.requireValidKey("tag key", key);
        write(actor, new Change("run.delete_tag", run(runId), summary("key", key)), store -> {
            requireActiveRun(store, runId);
            if (!store.deleteRunTag(runId, key)) {
                throw KeelException.notFound("run '" + runId + "' has no tag '" + key + "'");
            }
            return null;
        });
    }

    @Override
    public void logBatch(Actor actor, String runId, LogBatch batch) {
        Ids.requireRunId("run_id", runId);
        requireOnRun(actor, Permission.EDIT, runId);
        Checks.requireNonNull("batch", batch);
        // everything that can be checked without the database is checked before the transaction
        List<Metric> latest = LatestPoints.of(batch.metrics());
        Map<String, Param> params = new LinkedHashMap<>();
        batch.params().forEach(p -> params.putIfAbsent(p.key(), p));
        Map<String, Tag> tags = distinct(batch.tags());
        Tag runName = tags.get(RUN_NAME_TAG);
        if (runName != null) {
            Checks.requireMaxLength("run_name", runName.value(), Limits.MAX_RUN_NAME_LENGTH);
        }
        // one event per call: what was logged, counted, not every value
        Change change = new Change("run.log_batch", run(runId), summary("metrics", batch.metrics().size(),
                "params", params.size(), "tags", tags.size()));
        write(actor, change, store -> {
            requireActiveRun(store, runId);
            if (!params.isEmpty()) {
                Map<String, String> stored = store.params(runId, params.keySet());
                List<Param> fresh = new ArrayList<>(params.size());
                for (Param param : params.values()) {
                    String value = stored.get(param.key());
                    if (value == null) {
                        fresh.add(param);
                    } else if (!value.equals(param.value())) {
                        throw paramChanged(param, value);
                    }
                }
                store.insertParams(runId, fresh);
            }
            if (!latest.isEmpty()) {
                store.insertMetrics(runId, batch.metrics());
                store.upsertLatestMetrics(runId, latest);
            }
            if (!tags.isEmpty()) {
                store.upsertRunTags(runId, tags.values());
                if (runName != null && !runName.value().isBlank()) {
                    store.renameRun(runId, runName.value());
                }
            }
            return null;
        });
    }

    @Override
    public Page<Metric> getMetricHistory(Actor actor, String runId, String key, int maxResults, String pageToken) {
        Ids.requireRunId("run_id", runId);
        requireOnRun(actor, Permission.READ, runId);
        Checks.requireNonBlank("metric_key", key);
        if (maxResults < 0 || maxResults > Limits.METRIC_HISTORY_MAX) {
            throw KeelException.invalid("'max_results' must be between 1 and " + Limits.METRIC_HISTORY_MAX
                    + " (got " + maxResults + ")");
        }
        int max = maxResults == 0 ? Limits.METRIC_HISTORY_MAX : maxResults;
        int fingerprint = Objects.hash("history", runId, key);
        PageToken after = PageToken.decode(pageToken, fingerprint);
        if (after != null && (after.sortKey().size() != 4 || !(after.sortKey().get(0) instanceof Long)
                || !(after.sortKey().get(1) instanceof Long) || !(after.sortKey().get(2) instanceof Double)
                || !(after.sortKey().get(3) instanceof Long))) {
            throw KeelException.invalid("'page_token' does not belong to this metric history");
        }
        List<Metric> points = read(store -> {
            store.runStage(runId).orElseThrow(() -> noRun(runId));
            return store.metricHistory(runId, key, after == null ? null : after.sortKey(), max + 1);
        });
        if (points.size() <= max) {
            return new Page<>(points, null);
        }
        Metric last = points.get(max - 1);
        boolean nan = Double.isNaN(last.value());
        String token = new PageToken(fingerprint, List.of(last.step(), last.timestamp(), nan ? 0.0 : last.value(),
                nan ? 1L : 0L)).encode();
        return new Page<>(points.subList(0, max), token);
    }

    @Override
    public void logInputs(Actor actor, String runId, List<DatasetInput> inputs) {
        Ids.requireRunId("run_id", runId);
        requireOnRun(actor, Permission.EDIT, runId);
        Checks.requireNonNull("datasets", inputs);
        for (int i = 0; i < inputs.size(); i++) {
            Checks.requireNonNull("datasets[" + i + "]", inputs.get(i));
        }
        write(actor, new Change("run.log_inputs", run(runId), summary("datasets", inputs.size())), store -> {
            RunInfo run = store.runInfo(runId).orElseThrow(() -> noRun(runId));
            requireActive(run);
            store.inputs().logInputs(runId, Long.parseLong(run.experimentId()), inputs, ids::newRunId);
            return null;
        });
    }

    @Override
    public void logModel(Actor actor, String runId, String modelJson) {
        Ids.requireRunId("run_id", runId);
        requireOnRun(actor, Permission.EDIT, runId);
        Checks.requireNonBlank("model_json", modelJson);
        String model = modelJson.strip();
        if (!model.startsWith("{") || !model.endsWith("}")) {
            throw KeelException.invalid("'model_json' must be one JSON object");
        }
        write(actor, new Change("run.log_model", run(runId), summary("model_json_length", model.length())), store -> {
            requireActiveRun(store, runId);
            String history = store.runTag(runId, LOGGED_MODELS_TAG).map(String::strip).orElse("[]");
            if (!history.startsWith("[") || !history.endsWith("]")) {
                throw KeelException.invalid("tag '" + LOGGED_MODELS_TAG + "' of run '" + runId
                        + "' holds no JSON list; delete it or set it to a list before logging a model");
            }
            String body = history.substring(1, history.length() - 1).strip();
            // written the way MLflow's json.dumps writes a list, so both read the tag alike
            String appended = "[" + (body.isEmpty() ? "" : body + ", ") + model + "]";
            store.upsertRunTags(runId, List.of(new Tag(LOGGED_MODELS_TAG, appended)));
            return null;
        });
    }

    // artifacts

    @Override
    public void deleteArtifact(Actor actor, String runId, ArtifactPath path) {
        Ids.requireRunId("run_id", runId);
        requireOnRun(actor, Permission.EDIT, runId);
        Checks.requireNonNull("path", path);
        if (path.isRoot()) {
            throw KeelException.invalid("artifact 'path' must name a file or directory, not the root of the run's artifacts");
        }
        // the blobs stay in the content-addressed store: another run or model may hold the same bytes
        write(actor, new Change("run.delete_artifact", run(runId), summary("path", path.value())), store -> {
            requireActiveRun(store, runId);
            if (store.deleteArtifacts(runId, path.value()) == 0) {
                throw KeelException.notFound("artifact '" + path + "' does not exist in run '" + runId + "'");
            }
            return null;
        });
    }

    @Override
    public void logArtifact(Actor actor, String runId, ArtifactPath path, InputStream content) {
        Ids.requireRunId("run_id", runId);
        requireOnRun(actor, Permission.EDIT, runId);
        Checks.requireNonNull("path", path);
        Checks.requireNonNull("content", content);
        if (path.isRoot()) {
            throw KeelException.invalid("artifact 'path' must name a file, not the root of the run's artifacts");
        }
        // refuse early so no bytes are stored for a run that cannot take them, and stream
        // outside the transaction so a slow upload never holds the write lock
        read(store -> requireActiveRun(store, runId));
        StoredBlob blob = artifacts.put(content);
        Change change = new Change("run.log_artifact", run(runId), summary("path", path.value(), "sha256", blob.sha256(),
                "size", blob.size()));
        write(actor, change, store -> {
            requireActiveRun(store, runId);
            if (!store.artifactsUnder(runId, path.value()).isEmpty()) {
                throw KeelException.invalid("artifact '" + path + "' of run '" + runId + "' is a directory; a file cannot replace it");
            }
            for (int slash = path.value().indexOf('/'); slash > 0; slash = path.value().indexOf('/', slash + 1)) {
                String parent = path.value().substring(0, slash);
                if (store.artifact(runId, parent).isPresent()) {
                    throw KeelException.invalid("artifact '" + parent + "' of run '" + runId + "' is a file; it cannot hold '"
                            + path + "'");
                }
            }
            store.putArtifact(runId, path.value(), blob.sha256(), blob.size());
            return null;
        });
    }

    @Override
    public InputStream openArtifact(Actor actor, String runId, ArtifactPath path) {
        Ids.requireRunId("run_id", runId);
        requireOnRun(actor, Permission.READ, runId);
        Checks.requireNonNull("path", path);
        StoredArtifact artifact = read(store -> {
            store.runStage(runId).orElseThrow(() -> noRun(runId));
            return store.artifact(runId, path.value());
        }).orElseThrow(() -> KeelException.notFound("artifact '" + path + "' does not exist in run '" + runId + "'"));
        return artifacts.open(artifact.sha256());
    }

    @Override
    public List<ArtifactEntry> listArtifacts(Actor actor, String runId, ArtifactPath directory) {
        Ids.requireRunId("run_id", runId);
        requireOnRun(actor, Permission.READ, runId);
        ArtifactPath dir = directory == null ? ArtifactPath.ROOT : directory;
        List<StoredArtifact> under = read(store -> {
            store.runStage(runId).orElseThrow(() -> noRun(runId));
            // a file lists nothing, as in MLflow
            return !dir.isRoot() && store.artifact(runId, dir.value()).isPresent()
                    ? List.<StoredArtifact>of() : store.artifactsUnder(runId, dir.value());
        });
        int prefix = dir.isRoot() ? 0 : dir.value().length() + 1;
        Map<String, ArtifactEntry> children = new LinkedHashMap<>();
        for (StoredArtifact file : under) {
            int slash = file.path().indexOf('/', prefix);
            if (slash < 0) {
                children.put(file.path(), new ArtifactEntry(file.path(), false, file.size()));
            } else {
                String child = file.path().substring(0, slash);
                children.putIfAbsent(child, new ArtifactEntry(child, true, null));
            }
        }
        return children.values().stream().sorted(Comparator.comparing(ArtifactEntry::path)).toList();
    }

    // rules shared by the calls above

    private static long experimentId(String experimentId) {
        Ids.requireExperimentId("experiment_id", experimentId);
        return Long.parseLong(experimentId);
    }

    private static Experiment existing(JdbcTrackingStore store, String experimentId, long id) throws SQLException {
        return store.experiment(id).orElseThrow(() -> noExperiment(experimentId));
    }

    private static void requireActive(Experiment experiment, String verb) {
        if (experiment.lifecycleStage() != LifecycleStage.ACTIVE) {
            throw KeelException.invalid("experiment '" + experiment.experimentId() + "' is deleted; only an active "
                    + "experiment can be " + verb);
        }
    }

    private static void requireActive(RunInfo run) {
        if (run.lifecycleStage() != LifecycleStage.ACTIVE) {
            throw deletedRun(run.runId());
        }
    }

    private static Void requireActiveRun(JdbcTrackingStore store, String runId) throws SQLException {
        if (store.runStage(runId).orElseThrow(() -> noRun(runId)) != LifecycleStage.ACTIVE) {
            throw deletedRun(runId);
        }
        return null;
    }

    private static KeelException deletedRun(String runId) {
        return KeelException.invalid("run '" + runId + "' is deleted; it must be active to change it");
    }

    private static KeelException noRun(String runId) {
        return KeelException.notFound("run '" + runId + "' does not exist");
    }

    private static KeelException noExperiment(String experimentId) {
        return KeelException.notFound("experiment '" + experimentId + "' does not exist");
    }

    private static KeelException paramChanged(Param param, String stored) {
        return KeelException.invalid("param '" + param.key() + "' was logged as '" + stored
                + "'; a param cannot change (got '" + param.value() + "')");
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
        T run(JdbcTrackingStore store) throws SQLException;
    }

    private <T> T read(StoreWork<T> work) {
        return db.read(connection -> work.run(new JdbcTrackingStore(connection)));
    }

    /** What a write records in the audit trail, and what else it does in the same transaction (or null). */
    private record Change(String action, String resource, Map<String, ?> summary, SqlWork<?> alongside) {
        Change(String action, String resource, Map<String, ?> summary) {
            this(action, resource, summary, null);
        }
    }

    private void requireOnExperiment(Actor actor, Permission permission, String experimentId) {
        authorizer.require(actor, permission, Resource.experiment(experimentId));
    }

    /** A run's data is its experiment's: the check is on the experiment. */
    private void requireOnRun(Actor actor, Permission permission, String runId) {
        if (authorizer == Authorizer.ALLOW_ALL) {
            return; // authentication off: the tracking hot path pays no lookup
        }
        String experimentId = read(store -> store.runInfo(runId)).orElseThrow(() -> noRun(runId)).experimentId();
        authorizer.require(actor, permission, Resource.experiment(experimentId));
    }

    private static String experiment(String experimentId) {
        return "experiment/" + experimentId;
    }

    private static String run(String runId) {
        return "run/" + runId;
    }

    private <T> T write(Actor actor, Change change, StoreWork<T> work) {
        return write(actor, result -> change, work);
    }

    /**
     * One write transaction, ending with its audit event (a null change records none: nothing
     * changed). On PostgreSQL two servers can race to insert the same key; the loser's
     * transaction fails with a unique violation and is run again, and then sees the winner's
     * row (and answers as if it had come second).
     */
    private <T> T write(Actor actor, Function<T, Change> change, StoreWork<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return db.inTransaction(connection -> {
                    T result = work.run(new JdbcTrackingStore(connection));
                    Change done = change.apply(result);
                    if (done != null) {
                        if (done.alongside() != null) {
                            done.alongside().run(connection);
                        }
                        audit.record(connection, actor, done.action(), done.resource(), done.summary());
                    }
                    return result;
                });
            } catch (KeelException e) {
                if (attempt >= WRITE_ATTEMPTS || !isUniqueViolation(e)) {
                    throw e;
                }
            }
        }
    }

    private static boolean isUniqueViolation(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                for (SQLException next = sql; next != null; next = next.getNextException()) {
                    if ("23505".equals(next.getSQLState())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
