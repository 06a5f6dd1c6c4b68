package dev.keel.tracking;

import dev.keel.api.PageSize;
import dev.keel.api.Tag;
import dev.keel.api.tracking.DatasetInput;
import dev.keel.api.tracking.Limits;
import dev.keel.api.tracking.LogBatch;
import dev.keel.api.tracking.Metric;
import dev.keel.api.tracking.Param;
import dev.keel.api.tracking.RunInfo;
import dev.keel.core.Actor;
import dev.keel.core.AuditAction;
import dev.keel.core.Checks;
import dev.keel.core.Ids;
import dev.keel.core.KeelException;
import dev.keel.core.Page;
import dev.keel.core.Permission;
import dev.keel.store.AuditedStore;
import dev.keel.store.sql.PageToken;
import dev.keel.tracking.sql.JdbcTrackingStore;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static dev.keel.core.AuditLog.summary;
import static dev.keel.tracking.TrackingRules.RUN_NAME_TAG;
import static dev.keel.tracking.TrackingRules.existingRun;
import static dev.keel.tracking.TrackingRules.noRun;
import static dev.keel.tracking.TrackingRules.paramChanged;
import static dev.keel.tracking.TrackingRules.requireActive;
import static dev.keel.tracking.TrackingRules.requireActiveRun;
import static dev.keel.tracking.TrackingRules.run;

/**
 * What a run records: metrics, params, tags, inputs and logged models. As in MLflow's abstract
 * store, logging one metric, one param or one tag is a batch of one, so each rule (a param
 * cannot change; the run-name tag renames the run) is written once; each call keeps its own
 * audit action.
 */
record RunRecords(AuditedStore<JdbcTrackingStore> store, TrackingAccess access, Ids ids) {

    /** The run tag where MLflow keeps the JSON list of the models logged with a run. */
    static final String LOGGED_MODELS_TAG = "mlflow.log-model.history";

    void logMetric(Actor actor, String runId, Metric metric) {
        access.requireOnRun(actor, Permission.EDIT, runId);
        Checks.requireNonNull("metric", metric);
        log(actor, runId, new LogBatch(List.of(metric), List.of(), List.of()), AuditAction.RUN_LOG_METRIC,
                summary("key", metric.key(), "value", metric.value(), "step", metric.step(), "timestamp", metric.timestamp()));
    }

    void logParam(Actor actor, String runId, Param param) {
        access.requireOnRun(actor, Permission.EDIT, runId);
        Checks.requireNonNull("param", param);
        log(actor, runId, new LogBatch(List.of(), List.of(param), List.of()), AuditAction.RUN_LOG_PARAM,
                summary("key", param.key(), "value", param.value()));
    }

    void setTag(Actor actor, String runId, Tag tag) {
        access.requireOnRun(actor, Permission.EDIT, runId);
        Checks.requireNonNull("tag", tag);
        log(actor, runId, new LogBatch(List.of(), List.of(), List.of(tag)), AuditAction.RUN_SET_TAG,
                summary("key", tag.key(), "value", tag.value()));
    }

    void logBatch(Actor actor, String runId, LogBatch batch) {
        access.requireOnRun(actor, Permission.EDIT, runId);
        Checks.requireNonNull("batch", batch);
        // one event per call: what was logged, counted, not every value
        log(actor, runId, batch, AuditAction.RUN_LOG_BATCH, summary("metrics", batch.metrics().size(),
                "params", distinctParams(batch).size(), "tags", Tag.byKey(batch.tags()).size()));
    }

    /** The one write path of metrics, params and tags: all of the batch, or none of it. */
    private void log(Actor actor, String runId, LogBatch batch, AuditAction action, Map<String, ?> summary) {
        // everything that can be checked without the database is checked before the transaction
        List<Metric> latest = LatestPoints.of(batch.metrics());
        Map<String, Param> params = distinctParams(batch);
        Map<String, Tag> tags = Tag.byKey(batch.tags());
        Tag runName = tags.get(RUN_NAME_TAG);
        if (runName != null) {
            Checks.requireMaxLength("run_name", runName.value(), Limits.MAX_RUN_NAME_LENGTH);
        }
        store.write(actor, (tables, events) -> {
            requireActiveRun(tables, runId);
            if (!params.isEmpty()) {
                Map<String, String> stored = tables.params(runId, params.keySet());
                List<Param> fresh = new ArrayList<>(params.size());
                for (Param param : params.values()) {
                    String value = stored.get(param.key());
                    if (value == null) {
                        fresh.add(param);
                    } else if (!value.equals(param.value())) {
                        throw paramChanged(param, value);
                    }
                }
                tables.insertParams(runId, fresh);
            }
            if (!latest.isEmpty()) {
                tables.insertMetrics(runId, batch.metrics());
                tables.upsertLatestMetrics(runId, latest);
            }
            if (!tags.isEmpty()) {
                tables.upsertRunTags(runId, tags.values());
                if (runName != null && !runName.value().isBlank()) {
                    tables.renameRun(runId, runName.value());
                }
            }
            events.record(action, run(runId), summary);
            return null;
        });
    }

    /** The first value of each key: a batch that logs a key twice stores the first, as MLflow does. */
    private static Map<String, Param> distinctParams(LogBatch batch) {
        Map<String, Param> params = new LinkedHashMap<>();
        batch.params().forEach(p -> params.putIfAbsent(p.key(), p));
        return params;
    }

    void deleteTag(Actor actor, String runId, String key) {
        access.requireOnRun(actor, Permission.EDIT, runId);
        Checks.requireValidKey("tag key", key);
        store.write(actor, (tables, events) -> {
            requireActiveRun(tables, runId);
            if (!tables.deleteRunTag(runId, key)) {
                throw KeelException.notFound("run '" + runId + "' has no tag '" + key + "'");
            }
            events.record(AuditAction.RUN_DELETE_TAG, run(runId), summary("key", key));
            return null;
        });
    }

    Page<Metric> getMetricHistory(Actor actor, String runId, String key, int maxResults, String pageToken) {
        access.requireOnRun(actor, Permission.READ, runId);
        Checks.requireNonBlank("metric_key", key);
        int max = PageSize.of(maxResults, Limits.METRIC_HISTORY_MAX, Limits.METRIC_HISTORY_MAX);
        int fingerprint = Objects.hash("history", runId, key);
        PageToken after = PageToken.decode(pageToken, fingerprint);
        if (after != null && (after.sortKey().size() != 4 || !(after.sortKey().get(0) instanceof Long)
                || !(after.sortKey().get(1) instanceof Long) || !(after.sortKey().get(2) instanceof Double)
                || !(after.sortKey().get(3) instanceof Long))) {
            throw KeelException.invalid("'page_token' does not belong to this metric history");
        }
        List<Metric> points = store.read(tables -> {
            tables.runStage(runId).orElseThrow(() -> noRun(runId));
            return tables.metricHistory(runId, key, after == null ? null : after.sortKey(), max + 1);
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

    void logInputs(Actor actor, String runId, List<DatasetInput> inputs) {
        access.requireOnRun(actor, Permission.EDIT, runId);
        Checks.requireNonNull("datasets", inputs);
        for (int i = 0; i < inputs.size(); i++) {
            Checks.requireNonNull("datasets[" + i + "]", inputs.get(i));
        }
        store.write(actor, (tables, events) -> {
            RunInfo run = existingRun(tables, runId);
            requireActive(run);
            tables.inputs().logInputs(runId, Long.parseLong(run.experimentId()), inputs, ids::newRunId);
            events.record(AuditAction.RUN_LOG_INPUTS, run(runId), summary("datasets", inputs.size()));
            return null;
        });
    }

    void logModel(Actor actor, String runId, String modelJson) {
        access.requireOnRun(actor, Permission.EDIT, runId);
        Checks.requireNonBlank("model_json", modelJson);
        String model = modelJson.strip();
        if (!model.startsWith("{") || !model.endsWith("}")) {
            throw KeelException.invalid("'model_json' must be one JSON object");
        }
        store.write(actor, (tables, events) -> {
            requireActiveRun(tables, runId);
            String history = tables.runTag(runId, LOGGED_MODELS_TAG).map(String::strip).orElse("[]");
            if (!history.startsWith("[") || !history.endsWith("]")) {
                throw KeelException.invalid("tag '" + LOGGED_MODELS_TAG + "' of run '" + runId
                        + "' holds no JSON list; delete it or set it to a list before logging a model");
            }
            String body = history.substring(1, history.length() - 1).strip();
            // written the way MLflow's json.dumps writes a list, so both read the tag alike
            String appended = "[" + (body.isEmpty() ? "" : body + ", ") + model + "]";
            tables.upsertRunTags(runId, List.of(new Tag(LOGGED_MODELS_TAG, appended)));
            events.record(AuditAction.RUN_LOG_MODEL, run(runId), summary("model_json_length", model.length()));
            return null;
        });
    }
}
