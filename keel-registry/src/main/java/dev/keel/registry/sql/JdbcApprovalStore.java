package dev.keel.registry.sql;

import dev.keel.api.approval.ApprovalRequest;
import dev.keel.api.approval.ApprovalStatus;
import dev.keel.api.approval.ApprovalTarget;
import dev.keel.api.approval.Decision;
import dev.keel.api.approval.RecordedCheck;
import dev.keel.api.approval.Verdict;
import dev.keel.api.registry.RiskTier;
import dev.keel.core.KeelException;
import dev.keel.core.Visibility;
import dev.keel.store.Dialect;
import dev.keel.store.NextId;
import dev.keel.store.sql.Rows;
import dev.keel.store.sql.SqlText;
import dev.keel.store.sql.VisibleRows;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Approval requests and decisions on one connection (the caller's transaction, or a read). */
public record JdbcApprovalStore(Connection connection) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "r.request_id, m.name, r.version, r.target_kind, r.target_value, r.requester, "
            + "r.created_time, r.risk_tier, r.required_approvals, r.status, r.checks, r.archive_existing_versions";
    private static final String FROM = " FROM approval_requests r JOIN registered_models m ON m.model_id = r.model_id";

    /** A request as inserted. */
    public record NewRequest(long modelId, long version, ApprovalTarget target, String requester, long now, RiskTier tier,
                      int requiredApprovals, List<RecordedCheck> checks) {
    }

    /** Inserts the request under the next free id and returns it; another server may take an id first, then the next is tried. */
    public long insert(NewRequest request) throws SQLException {
        return NextId.claim("an approval request id", this::nextId, id -> {
            try (PreparedStatement statement = connection.prepareStatement("INSERT INTO approval_requests (request_id, "
                    + "model_id, version, target_kind, target_value, requester, created_time, risk_tier, required_approvals, "
                    + "status, checks, last_updated_time, archive_existing_versions) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                statement.setLong(1, id);
                statement.setLong(2, request.modelId());
                statement.setLong(3, request.version());
                statement.setString(4, request.target().kind());
                statement.setString(5, request.target().value());
                statement.setString(6, request.requester());
                statement.setLong(7, request.now());
                statement.setString(8, request.tier().name());
                statement.setInt(9, request.requiredApprovals());
                statement.setString(10, ApprovalStatus.PENDING.name());
                statement.setString(11, writeChecks(request.checks()));
                statement.setLong(12, request.now());
                statement.setBoolean(13, request.target() instanceof ApprovalTarget.ToStage stage
                        && stage.archiveExistingVersions());
                return statement.executeUpdate() == 1 ? id : null;
            }
        });
    }

    /**
     * Touches the request's row before it is read for a decision: on PostgreSQL the update holds
     * the row lock until commit, so concurrent decisions on one request queue (SQLite has one
     * writer anyway). A 404 when there is no such request.
     */
    public void lock(long id, long now) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE approval_requests SET last_updated_time = ? WHERE request_id = ?")) {
            statement.setLong(1, now);
            statement.setLong(2, id);
            if (statement.executeUpdate() == 0) {
                throw KeelException.notFound("approval request " + id + " does not exist");
            }
        }
    }

    private long nextId() throws SQLException {
        return Rows.nextId(connection, "approval_requests", "request_id", 1);
    }

    public Optional<ApprovalRequest> request(long id) throws SQLException {
        List<ApprovalRequest> found = requests(new SqlText().append(FROM + " WHERE r.request_id = ").bind(id));
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** Newest first; {@code status} and {@code model} (a name) narrow it when not null. */
    /**
     * Requests newest first, at most {@code limit}, of {@code status} and {@code model} when given,
     * on registered models {@code visible} lets the caller read: filtered here, so unreadable
     * requests never take the places of readable ones.
     */
    public List<ApprovalRequest> list(ApprovalStatus status, String model, Dialect dialect, Visibility visible, int limit)
            throws SQLException {
        SqlText sql = new SqlText().append(FROM + " WHERE 1 = 1");
        if (status != null) {
            sql.append(" AND r.status = ").bind(status.name());
        }
        if (model != null) {
            sql.append(" AND m.name = ").bind(model);
        }
        sql.append(" AND ").append(VisibleRows.condition(dialect, "m.name", VisibleRows.Ids.TEXT, visible));
        sql.append(" ORDER BY r.request_id DESC LIMIT " + limit);
        return requests(sql);
    }

    public void insertDecision(long id, Decision decision) throws SQLException {
        // decisions on one request are serialized by its row lock, so counting gives their order;
        // two decisions in the same millisecond keep the order they were made in
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO approval_decisions (request_id, "
                + "decision_no, decided_by, decided_time, verdict, reason) VALUES (?, "
                + "(SELECT COUNT(*) + 1 FROM approval_decisions WHERE request_id = ?), ?, ?, ?, ?)")) {
            statement.setLong(1, id);
            statement.setLong(2, id);
            statement.setString(3, decision.decidedBy());
            statement.setLong(4, decision.decidedTime());
            statement.setString(5, decision.verdict().name());
            statement.setString(6, decision.reason());
            statement.executeUpdate();
        }
    }

    /** Moves the request from {@code from} to {@code to}; false when it was no longer in {@code from} (a concurrent decision). */
    public boolean setStatus(long id, ApprovalStatus from, ApprovalStatus to, long now) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE approval_requests SET status = ?, last_updated_time = ? WHERE request_id = ? AND status = ?")) {
            statement.setString(1, to.name());
            statement.setLong(2, now);
            statement.setLong(3, id);
            statement.setString(4, from.name());
            return statement.executeUpdate() == 1;
        }
    }

    private List<ApprovalRequest> requests(SqlText fromWhere) throws SQLException {
        Map<Long, ApprovalRequest> byId = new LinkedHashMap<>();
        try (PreparedStatement statement = new SqlText().append("SELECT " + COLUMNS).append(fromWhere).prepare(connection)) {
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    ApprovalRequest request = new ApprovalRequest(rows.getLong(1), rows.getString(2), rows.getLong(3),
                            ApprovalTarget.of(rows.getString(4), rows.getString(5), rows.getBoolean(12)), rows.getString(6),
                            rows.getLong(7),
                            RiskTier.valueOf(rows.getString(8)), rows.getInt(9), ApprovalStatus.valueOf(rows.getString(10)),
                            readChecks(rows.getString(11)), List.of());
                    byId.put(request.id(), request);
                }
            }
        }
        if (byId.isEmpty()) {
            return List.of();
        }
        Map<Long, List<Decision>> decisions = new LinkedHashMap<>();
        String in = String.join(", ", byId.keySet().stream().map(id -> "?").toList());
        try (PreparedStatement statement = connection.prepareStatement("SELECT request_id, decided_by, decided_time, "
                + "verdict, reason FROM approval_decisions WHERE request_id IN (" + in + ") ORDER BY request_id, decision_no")) {
            int i = 1;
            for (long id : byId.keySet()) {
                statement.setLong(i++, id);
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    decisions.computeIfAbsent(rows.getLong(1), id -> new ArrayList<>()).add(new Decision(rows.getString(2),
                            rows.getLong(3), Verdict.valueOf(rows.getString(4)), rows.getString(5)));
                }
            }
        }
        return byId.values().stream().map(r -> new ApprovalRequest(r.id(), r.model(), r.version(), r.target(),
                r.requester(), r.createdTime(), r.tier(), r.requiredApprovals(), r.status(), r.checks(),
                decisions.getOrDefault(r.id(), List.of()))).toList();
    }

    private static String writeChecks(List<RecordedCheck> checks) {
        try {
            return JSON.writeValueAsString(checks);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("check results cannot be written as JSON", e);
        }
    }

    private static List<RecordedCheck> readChecks(String json) {
        try {
            return JSON.readValue(json, new TypeReference<List<RecordedCheck>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored check results are not valid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
