package dev.keel.tracking.sql;

import dev.keel.api.Tag;
import dev.keel.api.tracking.Experiment;
import dev.keel.api.tracking.LifecycleStage;
import dev.keel.api.tracking.Metric;
import dev.keel.api.tracking.Param;
import dev.keel.api.tracking.Run;
import dev.keel.api.tracking.RunData;
import dev.keel.api.tracking.RunInfo;
import dev.keel.api.tracking.RunInputs;
import dev.keel.api.tracking.RunStatus;
import dev.keel.core.Page;
import dev.keel.store.sql.KeysetPage;
import dev.keel.store.sql.PageRequest;
import dev.keel.store.sql.Rows;
import dev.keel.store.sql.SqlText;
import dev.keel.store.sql.TagRows;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tracking tables, read and written through one connection (and so inside whatever
 * transaction the caller holds). It knows SQL, not rules: the service decides what may change.
 */
public record JdbcTrackingStore(Connection connection) {

    /** Ids per IN list when reading a page's metrics, params and tags; well under both databases' bind limits. */
    private static final int IN_CHUNK = 500;
    private static final TagRows EXPERIMENT_TAGS = new TagRows("experiment_tags", "experiment_id");
    private static final TagRows RUN_TAGS = new TagRows("run_tags", "run_id");

    private static final String LATEST_UPSERT = "INSERT INTO latest_metrics (run_id, metric_key, step, metric_time, "
            + "metric_value, is_nan) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, metric_key) DO UPDATE SET "
            + "step = excluded.step, metric_time = excluded.metric_time, metric_value = excluded.metric_value, "
            + "is_nan = excluded.is_nan "
            // the latest point: highest step, then time, then value; on a full tie the newer write wins
            + "WHERE (excluded.step, excluded.metric_time, excluded.metric_value) "
            + ">= (latest_metrics.step, latest_metrics.metric_time, latest_metrics.metric_value)";

    // experiments

    public Optional<Experiment> experiment(long experimentId) throws SQLException {
        return oneExperiment("WHERE e.experiment_id = ?", experimentId);
    }

    public Optional<Experiment> experimentByName(String name) throws SQLException {
        return oneExperiment("WHERE e.name = ?", name);
    }

    private Optional<Experiment> oneExperiment(String where, Object arg) throws SQLException {
        Optional<Experiment> bare = Rows.first(connection, "SELECT " + ExperimentQuery.COLUMNS
                + " FROM experiments e " + where, JdbcTrackingStore::experimentRow, arg);
        return bare.isEmpty() ? bare : Optional.of(withTags(List.of(bare.get())).get(0));
    }

    public long nextExperimentId() throws SQLException {
        return Rows.nextId(connection, "experiments", "experiment_id", 0);
    }

    /**
     * Inserts an experiment unless its id is taken; says whether it did. A name another server
     * took meanwhile is a unique violation, which the write runs again (and then finds the name).
     */
    public boolean insertExperiment(long experimentId, String name, String artifactLocation, long now) throws SQLException {
        return update("INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, "
                + "last_update_time) VALUES (?, ?, ?, 'active', ?, ?) ON CONFLICT (experiment_id) DO NOTHING",
                experimentId, name, artifactLocation, now, now) == 1;
    }

    public void renameExperiment(long experimentId, String name, long now) throws SQLException {
        update("UPDATE experiments SET name = ?, last_update_time = ? WHERE experiment_id = ?", name, now, experimentId);
    }

    /** Moves an experiment and, as MLflow does, every one of its runs to {@code stage}. */
    public void setExperimentStage(long experimentId, LifecycleStage stage, long now) throws SQLException {
        update("UPDATE experiments SET lifecycle_stage = ?, last_update_time = ? WHERE experiment_id = ?",
                stage.wireName(), now, experimentId);
        update("UPDATE runs SET lifecycle_stage = ? WHERE experiment_id = ?", stage.wireName(), experimentId);
    }

    public void touchExperiment(long experimentId, long now) throws SQLException {
        update("UPDATE experiments SET last_update_time = ? WHERE experiment_id = ?", now, experimentId);
    }

    public void upsertExperimentTags(long experimentId, Collection<Tag> tags) throws SQLException {
        EXPERIMENT_TAGS.upsert(connection, List.of(experimentId), tags, Tag::key, Tag::value);
    }

    public boolean deleteExperimentTag(long experimentId, String key) throws SQLException {
        return EXPERIMENT_TAGS.delete(connection, List.of(experimentId), key);
    }

    public Page<Experiment> searchExperiments(ExperimentQuery query, PageRequest request) throws SQLException {
        Page<Experiment> page = KeysetPage.read(connection, query, request, JdbcTrackingStore::experimentRow);
        return new Page<>(withTags(page.items()), page.nextPageToken());
    }

    private List<Experiment> withTags(List<Experiment> experiments) throws SQLException {
        if (experiments.isEmpty()) {
            return experiments;
        }
        Map<Long, List<Tag>> tags = new HashMap<>();
        List<Long> ids = experiments.stream().map(e -> Long.parseLong(e.experimentId())).toList();
        for (List<Long> chunk : chunks(ids)) {
            Rows.group(connection, new SqlText().append("SELECT experiment_id, tag_key, tag_value FROM experiment_tags "
                    + "WHERE experiment_id IN (").bindAll(chunk).append(") ORDER BY experiment_id, tag_key"),
                    rows -> rows.getLong(1), JdbcTrackingStore::tagRow, tags);
        }
        return experiments.stream().map(e -> new Experiment(e.experimentId(), e.name(), e.artifactLocation(),
                e.lifecycleStage(), e.creationTime(), e.lastUpdateTime(),
                tags.getOrDefault(Long.parseLong(e.experimentId()), List.of()))).toList();
    }

    private static Experiment experimentRow(ResultSet rows) throws SQLException {
        return new Experiment(Long.toString(rows.getLong("experiment_id")), rows.getString("name"),
                rows.getString("artifact_location"), stage(rows.getString("lifecycle_stage")),
                rows.getLong("creation_time"), rows.getLong("last_update_time"), List.of());
    }

    // runs

    public Optional<RunInfo> runInfo(String runId) throws SQLException {
        return Rows.first(connection, "SELECT " + RunQuery.COLUMNS + " FROM runs r WHERE r.run_id = ?",
                JdbcTrackingStore::runRow, runId);
    }

    /** The run's lifecycle stage, or empty when there is no such run: the one check before every write. */
    public Optional<LifecycleStage> runStage(String runId) throws SQLException {
        return Rows.first(connection, "SELECT lifecycle_stage FROM runs WHERE run_id = ?", row -> stage(row.getString(1)),
                runId);
    }

    public void insertRun(RunInfo run) throws SQLException {
        update("INSERT INTO runs (run_id, experiment_id, run_name, user_id, status, start_time, end_time, artifact_uri, "
                + "lifecycle_stage) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", run.runId(), Long.parseLong(run.experimentId()),
                run.runName(), run.userId(), run.status().name(), run.startTime(), SqlText.nullableBigint(run.endTime()),
                run.artifactUri(), run.lifecycleStage().wireName());
    }

    public void updateRun(String runId, RunStatus status, Long endTime, String runName) throws SQLException {
        update("UPDATE runs SET status = ?, end_time = ?, run_name = ? WHERE run_id = ?", status.name(),
                SqlText.nullableBigint(endTime), runName, runId);
    }

    public void renameRun(String runId, String runName) throws SQLException {
        update("UPDATE runs SET run_name = ? WHERE run_id = ?", runName, runId);
    }

    public void setRunStage(String runId, LifecycleStage stage) throws SQLException {
        update("UPDATE runs SET lifecycle_stage = ? WHERE run_id = ?", stage.wireName(), runId);
    }

    /** The datasets runs consumed, through the same connection. */
    public JdbcRunInputs inputs() {
        return new JdbcRunInputs(connection);
    }

    /** Runs with their latest metrics, params, tags and inputs, in five queries whatever their number. */
    public List<Run> withData(List<RunInfo> infos) throws SQLException {
        if (infos.isEmpty()) {
            return List.of();
        }
        Map<String, List<Metric>> metrics = new HashMap<>();
        Map<String, List<Param>> params = new HashMap<>();
        Map<String, List<Tag>> tags = new HashMap<>();
        Map<String, RunInputs> inputs = new HashMap<>();
        for (List<String> chunk : chunks(infos.stream().map(RunInfo::runId).toList())) {
            inputs.putAll(inputs().of(chunk));
            byRun("SELECT run_id, metric_key, metric_value, is_nan, metric_time, step FROM latest_metrics WHERE run_id IN (",
                    chunk, ") ORDER BY run_id, metric_key", rows -> metricRow(rows, 2), metrics);
            byRun("SELECT run_id, param_key, param_value FROM params WHERE run_id IN (", chunk, ") ORDER BY run_id, param_key",
                    rows -> new Param(rows.getString(2), rows.getString(3)), params);
            byRun("SELECT run_id, tag_key, tag_value FROM run_tags WHERE run_id IN (", chunk, ") ORDER BY run_id, tag_key",
                    JdbcTrackingStore::tagRow, tags);
        }
        List<Run> runs = new ArrayList<>(infos.size());
        for (RunInfo info : infos) {
            runs.add(new Run(info, new RunData(metrics.get(info.runId()), params.get(info.runId()), tags.get(info.runId())),
                    inputs.get(info.runId())));
        }
        return runs;
    }

    public Page<Run> searchRuns(RunQuery query, PageRequest request) throws SQLException {
        Page<RunInfo> page = KeysetPage.read(connection, query, request, JdbcTrackingStore::runRow);
        return new Page<>(withData(page.items()), page.nextPageToken());
    }

    private static RunInfo runRow(ResultSet rows) throws SQLException {
        long end = rows.getLong("end_time");
        Long endTime = rows.wasNull() ? null : end;
        return new RunInfo(rows.getString("run_id"), rows.getString("run_name"), Long.toString(rows.getLong("experiment_id")),
                rows.getString("user_id"), RunStatus.valueOf(rows.getString("status")), rows.getLong("start_time"),
                endTime, rows.getString("artifact_uri"), stage(rows.getString("lifecycle_stage")));
    }

    // params and tags

    /** The values stored for those of {@code keys} the run has. */
    public Map<String, String> params(String runId, Collection<String> keys) throws SQLException {
        Map<String, String> stored = new HashMap<>();
        if (keys.isEmpty()) {
            return stored;
        }
        SqlText sql = new SqlText().append("SELECT param_key, param_value FROM params WHERE run_id = ").bind(runId)
                .append(" AND param_key IN (").bindAll(List.copyOf(keys)).append(")");
        for (Param param : Rows.all(connection, sql, rows -> new Param(rows.getString(1), rows.getString(2)))) {
            stored.put(param.key(), param.value());
        }
        return stored;
    }

    /** Inserts params not stored yet; one already stored is left as it is (the caller compared values first). */
    public void insertParams(String runId, Collection<Param> params) throws SQLException {
        Rows.batch(connection, "INSERT INTO params (run_id, param_key, param_value) VALUES (?, ?, ?) "
                + "ON CONFLICT (run_id, param_key) DO NOTHING", params,
                param -> new Object[]{runId, param.key(), param.value()});
    }

    /** Sets tags, replacing values; keys must be distinct (PostgreSQL refuses to update a row twice in one statement). */
    public void upsertRunTags(String runId, Collection<Tag> tags) throws SQLException {
        RUN_TAGS.upsert(connection, List.of(runId), tags, Tag::key, Tag::value);
    }

    public Optional<String> runTag(String runId, String key) throws SQLException {
        return Rows.first(connection, "SELECT tag_value FROM run_tags WHERE run_id = ? AND tag_key = ?",
                row -> row.getString(1), runId, key);
    }

    public boolean deleteRunTag(String runId, String key) throws SQLException {
        return RUN_TAGS.delete(connection, List.of(runId), key);
    }

    // metrics

    /** Appends points to the history; a point identical to one stored is stored once. */
    public void insertMetrics(String runId, List<Metric> metrics) throws SQLException {
        Rows.batch(connection, "INSERT INTO metrics (run_id, metric_key, step, metric_time, metric_value, is_nan) "
                + "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", metrics, metric -> point(runId, metric));
    }

    /** Raises each key's latest point where the given one is later; keys must be distinct. */
    public void upsertLatestMetrics(String runId, Collection<Metric> latest) throws SQLException {
        Rows.batch(connection, LATEST_UPSERT, latest, metric -> point(runId, metric));
    }

    /** A metric point's columns; NaN is stored as 0 with its flag set, since SQLite would turn it into NULL. */
    private static Object[] point(String runId, Metric metric) {
        boolean nan = Double.isNaN(metric.value());
        return new Object[]{runId, metric.key(), metric.step(), metric.timestamp(), nan ? 0.0 : metric.value(), nan};
    }

    /**
     * Up to {@code limit} points of one metric in (step, time, value) order, after the point
     * {@code after} (step, time, value, is-NaN flag as 0/1) when given.
     */
    public List<Metric> metricHistory(String runId, String key, List<Object> after, int limit) throws SQLException {
        // the key is known: not reading it back saves a string per point on long histories
        SqlText sql = new SqlText().append("SELECT metric_value, is_nan, metric_time, step FROM metrics "
                + "WHERE run_id = ").bind(runId).append(" AND metric_key = ").bind(key);
        if (after != null) {
            sql.append(" AND (step, metric_time, metric_value, is_nan) > (").bind(after.get(0)).append(", ")
                    .bind(after.get(1)).append(", ").bind(after.get(2)).append(", ").bind(((Long) after.get(3)) != 0)
                    .append(")");
        }
        sql.append(" ORDER BY step, metric_time, metric_value, is_nan LIMIT ").bind((long) limit);
        return Rows.all(connection, sql, rows -> {
            boolean nan = rows.getBoolean(2);
            return new Metric(key, nan ? Double.NaN : rows.getDouble(1), rows.getLong(3), rows.getLong(4));
        });
    }

    private static Metric metricRow(ResultSet rows, int first) throws SQLException {
        double value = rows.getDouble(first + 1);
        boolean nan = rows.getBoolean(first + 2);
        return new Metric(rows.getString(first), nan ? Double.NaN : value, rows.getLong(first + 3), rows.getLong(first + 4));
    }

    // artifacts

    /** The run's files, as paths and digests. */
    public JdbcRunArtifacts artifacts() {
        return new JdbcRunArtifacts(connection);
    }

    // plumbing

    private int update(String sql, Object... args) throws SQLException {
        return Rows.update(connection, sql, args);
    }

    /** Adds what {@code head ids tail} finds to {@code into}, under each row's run id (its first column). */
    private <V> void byRun(String head, List<String> ids, String tail, Rows.Mapper<V> value, Map<String, List<V>> into)
            throws SQLException {
        Rows.group(connection, new SqlText().append(head).bindAll(ids).append(tail), rows -> rows.getString(1), value, into);
    }

    private static Tag tagRow(ResultSet rows) throws SQLException {
        return new Tag(rows.getString(2), rows.getString(3));
    }

    private static <T> List<List<T>> chunks(List<T> values) {
        List<List<T>> chunks = new ArrayList<>();
        for (int i = 0; i < values.size(); i += IN_CHUNK) {
            chunks.add(values.subList(i, Math.min(values.size(), i + IN_CHUNK)));
        }
        return chunks;
    }

    private static LifecycleStage stage(String wireName) {
        return LifecycleStage.valueOf(wireName.toUpperCase(java.util.Locale.ROOT));
    }
}
