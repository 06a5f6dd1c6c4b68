package dev.keel.serving.endpoint.sql;

import dev.keel.api.serving.Endpoint;
import dev.keel.api.serving.Rollout;
import dev.keel.api.serving.RolloutEvent;
import dev.keel.api.serving.RolloutStatus;
import dev.keel.store.sql.Rows;
import dev.keel.store.sql.SqlText;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Endpoints and rollouts on one connection: the caller's transaction, or a read. */
public record JdbcEndpointStore(Connection connection) {

    private static final String ENDPOINT_COLUMNS = "name, version, definition, created_by, created_time, last_updated_time";
    private static final String ROLLOUT_COLUMNS = "rollout_id, endpoint, revision, stable, canary, canary_model, plan, step,"
            + " status, reason, started_time, step_started_time, check_due_time, inconclusive_checks, ended_time, rollback";

    // endpoints

    public Optional<Endpoint> endpoint(String name) throws SQLException {
        return Rows.first(connection, "SELECT " + ENDPOINT_COLUMNS + " FROM serving_endpoints WHERE name = ?",
                JdbcEndpointStore::endpoint, name);
    }

    public List<Endpoint> endpoints() throws SQLException {
        return Rows.all(connection, "SELECT " + ENDPOINT_COLUMNS + " FROM serving_endpoints ORDER BY name",
                JdbcEndpointStore::endpoint);
    }

    /** False when the name is taken. */
    public boolean insert(Endpoint endpoint) throws SQLException {
        return Rows.update(connection, "INSERT INTO serving_endpoints (" + ENDPOINT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT DO NOTHING", endpoint.name(), endpoint.version(), definition(endpoint), endpoint.createdBy(),
                endpoint.createdAt().toEpochMilli(), endpoint.updatedAt().toEpochMilli()) == 1;
    }

    /** Writes the endpoint over the stored one if that is still at {@code expectedVersion}; false otherwise. */
    public boolean update(Endpoint endpoint, long expectedVersion) throws SQLException {
        return Rows.update(connection, "UPDATE serving_endpoints SET version = ?, definition = ?, last_updated_time = ? "
                + "WHERE name = ? AND version = ?", endpoint.version(), definition(endpoint),
                endpoint.updatedAt().toEpochMilli(), endpoint.name(), expectedVersion) == 1;
    }

    public boolean delete(String name) throws SQLException {
        return Rows.update(connection, "DELETE FROM serving_endpoints WHERE name = ?", name) == 1;
    }

    private static String definition(Endpoint endpoint) {
        return EndpointJson.definition(endpoint.variants(), endpoint.policy(), endpoint.shadow());
    }

    private static Endpoint endpoint(ResultSet rows) throws SQLException {
        EndpointJson.Definition definition = EndpointJson.definition(rows.getString(3));
        return new Endpoint(rows.getString(1), definition.variants(), definition.policy(), definition.shadow(),
                rows.getLong(2), rows.getString(4), Instant.ofEpochMilli(rows.getLong(5)),
                Instant.ofEpochMilli(rows.getLong(6)));
    }

    // rollouts

    public long nextRolloutId() throws SQLException {
        return Rows.nextId(connection, "serving_rollouts", "rollout_id", 1);
    }

    /** False when the id was taken first (by another server on PostgreSQL). */
    public boolean insertRollout(Rollout rollout) throws SQLException {
        if (Rows.update(connection, "INSERT INTO serving_rollouts (" + ROLLOUT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
                + "?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (rollout_id) DO NOTHING", rollout.id(), rollout.endpoint(),
                rollout.revision(), rollout.stable(), rollout.canary(), rollout.canaryModel(),
                EndpointJson.plan(rollout.steps(), rollout.analysis()), rollout.step(), rollout.status().name(),
                rollout.reason(), rollout.startedAt().toEpochMilli(), rollout.stepStartedAt().toEpochMilli(),
                rollout.checkDueAt().toEpochMilli(), rollout.inconclusiveChecks(), endedTime(rollout),
                EndpointJson.report(rollout.rollback())) != 1) {
            return false;
        }
        for (int seq = 0; seq < rollout.history().size(); seq++) {
            appendEvent(rollout.id(), seq, rollout.history().get(seq));
        }
        return true;
    }

    /**
     * Writes the rollout's progress over the stored row if that is still at {@code expectedRevision},
     * and appends the history entries it does not hold yet; false when the revision moved on.
     */
    public boolean updateRollout(Rollout rollout, long expectedRevision, int storedEvents) throws SQLException {
        if (Rows.update(connection, "UPDATE serving_rollouts SET step = ?, status = ?, reason = ?, revision = ?, "
                + "step_started_time = ?, check_due_time = ?, inconclusive_checks = ?, ended_time = ?, rollback = ? "
                + "WHERE rollout_id = ? AND revision = ?", rollout.step(), rollout.status().name(), rollout.reason(),
                rollout.revision(), rollout.stepStartedAt().toEpochMilli(), rollout.checkDueAt().toEpochMilli(),
                rollout.inconclusiveChecks(), endedTime(rollout), EndpointJson.report(rollout.rollback()),
                rollout.id(), expectedRevision) != 1) {
            return false;
        }
        for (int seq = storedEvents; seq < rollout.history().size(); seq++) {
            appendEvent(rollout.id(), seq, rollout.history().get(seq));
        }
        return true;
    }

    private static Object endedTime(Rollout rollout) {
        return SqlText.nullableBigint(rollout.endedAt() == null ? null : rollout.endedAt().toEpochMilli());
    }

    private void appendEvent(long rolloutId, int seq, RolloutEvent event) throws SQLException {
        Rows.update(connection, "INSERT INTO serving_rollout_events (rollout_id, seq, event_time, actor, kind, "
                + "canary_weight, detail) VALUES (?, ?, ?, ?, ?, ?, ?)", rolloutId, seq, event.at().toEpochMilli(),
                event.actor(), event.kind(), event.canaryWeight(), event.detail());
    }

    public Optional<Rollout> latestRollout(String endpoint) throws SQLException {
        List<Rollout> found = rolloutsWhere("WHERE endpoint = ? ORDER BY rollout_id DESC LIMIT 1", endpoint);
        return found.stream().findFirst();
    }

    public Optional<Rollout> activeRollout(String endpoint) throws SQLException {
        List<Rollout> found = rolloutsWhere("WHERE endpoint = ? AND status IN ('PROGRESSING', 'PAUSED')", endpoint);
        return found.stream().findFirst();
    }

    public List<Rollout> rollouts(String endpoint) throws SQLException {
        return rolloutsWhere("WHERE endpoint = ? ORDER BY rollout_id DESC", endpoint);
    }

    public List<Rollout> activeRollouts() throws SQLException {
        return rolloutsWhere("WHERE status IN ('PROGRESSING', 'PAUSED') ORDER BY rollout_id");
    }

    private List<Rollout> rolloutsWhere(String where, Object... values) throws SQLException {
        List<Rollout> rollouts = Rows.all(connection, "SELECT " + ROLLOUT_COLUMNS + " FROM serving_rollouts " + where,
                JdbcEndpointStore::rollout, values);
        List<Rollout> withHistory = new ArrayList<>(rollouts.size());
        for (Rollout rollout : rollouts) {
            withHistory.add(withHistory(rollout));
        }
        return withHistory;
    }

    private static Rollout rollout(ResultSet rows) throws SQLException {
        String plan = rows.getString(7);
        long ended = rows.getLong(15);
        Instant endedAt = rows.wasNull() ? null : Instant.ofEpochMilli(ended);
        return new Rollout(rows.getLong(1), rows.getString(2), rows.getString(4), rows.getString(5), rows.getString(6),
                EndpointJson.planSteps(plan), EndpointJson.planAnalysis(plan), rows.getInt(8),
                RolloutStatus.valueOf(rows.getString(9)), rows.getString(10), Instant.ofEpochMilli(rows.getLong(11)),
                Instant.ofEpochMilli(rows.getLong(12)), Instant.ofEpochMilli(rows.getLong(13)), rows.getInt(14), endedAt,
                rows.getLong(3), List.of(), EndpointJson.report(rows.getString(16)));
    }

    private Rollout withHistory(Rollout rollout) throws SQLException {
        List<RolloutEvent> history = Rows.all(connection, "SELECT event_time, actor, kind, canary_weight, detail"
                + " FROM serving_rollout_events WHERE rollout_id = ? ORDER BY seq", rows -> new RolloutEvent(
                Instant.ofEpochMilli(rows.getLong(1)), rows.getString(2), rows.getString(3), rows.getDouble(4),
                rows.getString(5)), rollout.id());
        return new Rollout(rollout.id(), rollout.endpoint(), rollout.stable(), rollout.canary(), rollout.canaryModel(),
                rollout.steps(), rollout.analysis(), rollout.step(), rollout.status(), rollout.reason(), rollout.startedAt(),
                rollout.stepStartedAt(), rollout.checkDueAt(), rollout.inconclusiveChecks(), rollout.endedAt(),
                rollout.revision(), history, rollout.rollback());
    }
}
