package dev.keel.serving.endpoint.sql;

import dev.keel.api.serving.Endpoint;
import dev.keel.api.serving.Rollout;
import dev.keel.api.serving.RolloutEvent;
import dev.keel.api.serving.RolloutStatus;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
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
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + ENDPOINT_COLUMNS + " FROM serving_endpoints WHERE name = ?")) {
            select.setString(1, name);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(endpoint(rows)) : Optional.empty();
            }
        }
    }

    public List<Endpoint> endpoints() throws SQLException {
        List<Endpoint> endpoints = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + ENDPOINT_COLUMNS + " FROM serving_endpoints ORDER BY name");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                endpoints.add(endpoint(rows));
            }
        }
        return endpoints;
    }

    /** False when the name is taken. */
    public boolean insert(Endpoint endpoint) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO serving_endpoints (" + ENDPOINT_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            insert.setString(1, endpoint.name());
            insert.setLong(2, endpoint.version());
            insert.setString(3, EndpointJson.definition(endpoint.variants(), endpoint.policy(), endpoint.shadow()));
            insert.setString(4, endpoint.createdBy());
            insert.setLong(5, endpoint.createdAt().toEpochMilli());
            insert.setLong(6, endpoint.updatedAt().toEpochMilli());
            return insert.executeUpdate() == 1;
        }
    }

    /** Writes the endpoint over the stored one if that is still at {@code expectedVersion}; false otherwise. */
    public boolean update(Endpoint endpoint, long expectedVersion) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE serving_endpoints SET version = ?,"
                + " definition = ?, last_updated_time = ? WHERE name = ? AND version = ?")) {
            update.setLong(1, endpoint.version());
            update.setString(2, EndpointJson.definition(endpoint.variants(), endpoint.policy(), endpoint.shadow()));
            update.setLong(3, endpoint.updatedAt().toEpochMilli());
            update.setString(4, endpoint.name());
            update.setLong(5, expectedVersion);
            return update.executeUpdate() == 1;
        }
    }

    public boolean delete(String name) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM serving_endpoints WHERE name = ?")) {
            delete.setString(1, name);
            return delete.executeUpdate() == 1;
        }
    }

    private static Endpoint endpoint(ResultSet rows) throws SQLException {
        EndpointJson.Definition definition = EndpointJson.definition(rows.getString(3));
        return new Endpoint(rows.getString(1), definition.variants(), definition.policy(), definition.shadow(),
                rows.getLong(2), rows.getString(4), Instant.ofEpochMilli(rows.getLong(5)),
                Instant.ofEpochMilli(rows.getLong(6)));
    }

    // rollouts

    public long nextRolloutId() throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT MAX(rollout_id) FROM serving_rollouts");
             ResultSet rows = select.executeQuery()) {
            return rows.next() ? rows.getLong(1) + 1 : 1;
        }
    }

    /** False when the id was taken first (by another server on PostgreSQL). */
    public boolean insertRollout(Rollout rollout) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO serving_rollouts (" + ROLLOUT_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (rollout_id) DO NOTHING")) {
            insert.setLong(1, rollout.id());
            insert.setString(2, rollout.endpoint());
            insert.setLong(3, rollout.revision());
            insert.setString(4, rollout.stable());
            insert.setString(5, rollout.canary());
            insert.setString(6, rollout.canaryModel());
            insert.setString(7, EndpointJson.plan(rollout.steps(), rollout.analysis()));
            setProgress(insert, 8, rollout);
            insert.setLong(11, rollout.startedAt().toEpochMilli());
            insert.setLong(12, rollout.stepStartedAt().toEpochMilli());
            insert.setLong(13, rollout.checkDueAt().toEpochMilli());
            insert.setInt(14, rollout.inconclusiveChecks());
            setEnd(insert, 15, rollout);
            if (insert.executeUpdate() != 1) {
                return false;
            }
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
        try (PreparedStatement update = connection.prepareStatement("UPDATE serving_rollouts SET step = ?, status = ?,"
                + " reason = ?, revision = ?, step_started_time = ?, check_due_time = ?, inconclusive_checks = ?,"
                + " ended_time = ?, rollback = ? WHERE rollout_id = ? AND revision = ?")) {
            setProgress(update, 1, rollout);
            update.setLong(4, rollout.revision());
            update.setLong(5, rollout.stepStartedAt().toEpochMilli());
            update.setLong(6, rollout.checkDueAt().toEpochMilli());
            update.setInt(7, rollout.inconclusiveChecks());
            setEnd(update, 8, rollout);
            update.setLong(10, rollout.id());
            update.setLong(11, expectedRevision);
            if (update.executeUpdate() != 1) {
                return false;
            }
        }
        for (int seq = storedEvents; seq < rollout.history().size(); seq++) {
            appendEvent(rollout.id(), seq, rollout.history().get(seq));
        }
        return true;
    }

    private static void setProgress(PreparedStatement statement, int at, Rollout rollout) throws SQLException {
        statement.setInt(at, rollout.step());
        statement.setString(at + 1, rollout.status().name());
        statement.setString(at + 2, rollout.reason());
    }

    private static void setEnd(PreparedStatement statement, int at, Rollout rollout) throws SQLException {
        if (rollout.endedAt() == null) {
            statement.setNull(at, Types.BIGINT);
        } else {
            statement.setLong(at, rollout.endedAt().toEpochMilli());
        }
        String report = EndpointJson.report(rollout.rollback());
        if (report == null) {
            statement.setNull(at + 1, Types.VARCHAR);
        } else {
            statement.setString(at + 1, report);
        }
    }

    private void appendEvent(long rolloutId, int seq, RolloutEvent event) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO serving_rollout_events (rollout_id, seq,"
                + " event_time, actor, kind, canary_weight, detail) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            insert.setLong(1, rolloutId);
            insert.setInt(2, seq);
            insert.setLong(3, event.at().toEpochMilli());
            insert.setString(4, event.actor());
            insert.setString(5, event.kind());
            insert.setDouble(6, event.canaryWeight());
            insert.setString(7, event.detail());
            insert.executeUpdate();
        }
    }

    public Optional<Rollout> latestRollout(String endpoint) throws SQLException {
        List<Rollout> found = rollouts("WHERE endpoint = ? ORDER BY rollout_id DESC LIMIT 1", endpoint);
        return found.stream().findFirst();
    }

    public Optional<Rollout> activeRollout(String endpoint) throws SQLException {
        List<Rollout> found = rollouts("WHERE endpoint = ? AND status IN ('PROGRESSING', 'PAUSED')", endpoint);
        return found.stream().findFirst();
    }

    public List<Rollout> rollouts(String endpoint) throws SQLException {
        return rollouts("WHERE endpoint = ? ORDER BY rollout_id DESC", endpoint);
    }

    public List<Rollout> activeRollouts() throws SQLException {
        return rollouts("WHERE status IN ('PROGRESSING', 'PAUSED') ORDER BY rollout_id", null);
    }

    private List<Rollout> rollouts(String where, String endpoint) throws SQLException {
        List<Rollout> rollouts = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + ROLLOUT_COLUMNS + " FROM serving_rollouts " + where)) {
            if (endpoint != null) {
                select.setString(1, endpoint);
            }
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    rollouts.add(rollout(rows));
                }
            }
        }
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
        List<RolloutEvent> history = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT event_time, actor, kind, canary_weight, detail"
                + " FROM serving_rollout_events WHERE rollout_id = ? ORDER BY seq")) {
            select.setLong(1, rollout.id());
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    history.add(new RolloutEvent(Instant.ofEpochMilli(rows.getLong(1)), rows.getString(2),
                            rows.getString(3), rows.getDouble(4), rows.getString(5)));
                }
            }
        }
        return new Rollout(rollout.id(), rollout.endpoint(), rollout.stable(), rollout.canary(), rollout.canaryModel(),
                rollout.steps(), rollout.analysis(), rollout.step(), rollout.status(), rollout.reason(), rollout.startedAt(),
                rollout.stepStartedAt(), rollout.checkDueAt(), rollout.inconclusiveChecks(), rollout.endedAt(),
                rollout.revision(), history, rollout.rollback());
    }
}
