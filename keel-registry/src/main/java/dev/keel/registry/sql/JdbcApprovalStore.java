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
import com.fasterxml.jackson.core.type.TypeReference;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Approval requests and decisions on one connection (the caller's transaction, or a read). */
public record JdbcApprovalStore(Connection connection) {

    private static final JsonList<RecordedCheck> CHECKS = new JsonList<>("check results", new TypeReference<>() { });
    private static final String COLUMNS = "r.request_id, m.name, r.version, r.target_kind, r.target_value, r.requester, "
            + "r.created_time, r.risk_tier, r.required_approvals, r.status, r.checks, r.archive_existing_versions";
    private static final String FROM = " FROM approval_requests r JOIN registered_models m ON m.model_id = r.model_id";

    /** A request as inserted. */
    public record NewRequest(long modelId, long version, ApprovalTarget target, String requester, long now, RiskTier tier,
                      int requiredApprovals, List<RecordedCheck> checks) {
    }

    /** Inserts the request under the next free id and returns it; another server may take an id first, then the next is tried. */
    public long insert(NewRequest request) throws SQLException {
        return NextId.claim("an approval request id", this::nextId, id -> Rows.update(connection,
                "INSERT INTO approval_requests (request_id, model_id, version, target_kind, target_value, requester, "
                + "created_time, risk_tier, required_approvals, status, checks, last_updated_time, "
                + "archive_existing_versions) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                id, request.modelId(), request.version(), request.target().kind(), request.target().value(),
                request.requester(), request.now(), request.tier().name(), request.requiredApprovals(),
                ApprovalStatus.PENDING.name(), CHECKS.write(request.checks()), request.now(),
                request.target() instanceof ApprovalTarget.ToStage stage && stage.archiveExistingVersions()) == 1
                ? id : null);
    }

    /**
     * Touches the request's row before it is read for a decision: on PostgreSQL the update holds
     * the row lock until commit, so concurrent decisions on one request queue (SQLite has one
     * writer anyway). A 404 when there is no such request.
     */
    public void lock(long id, long now) throws SQLException {
        if (Rows.update(connection, "UPDATE approval_requests SET last_updated_time = ? WHERE request_id = ?", now, id) == 0) {
            throw KeelException.notFound("approval request " + id + " does not exist");
        }
    }

    private long nextId() throws SQLException {
        return Rows.nextId(connection, "approval_requests", "request_id", 1);
    }

    public Optional<ApprovalRequest> request(long id) throws SQLException {
        List<ApprovalRequest> found = requests(new SqlText().append(FROM + " WHERE r.request_id = ").bind(id));
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

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
        Rows.update(connection, "INSERT INTO approval_decisions (request_id, decision_no, decided_by, decided_time, "
                + "verdict, reason) VALUES (?, (SELECT COUNT(*) + 1 FROM approval_decisions WHERE request_id = ?), "
                + "?, ?, ?, ?)", id, id, decision.decidedBy(), decision.decidedTime(), decision.verdict().name(),
                decision.reason());
    }

    /** Moves the request from {@code from} to {@code to}; false when it was no longer in {@code from} (a concurrent decision). */
    public boolean setStatus(long id, ApprovalStatus from, ApprovalStatus to, long now) throws SQLException {
        return Rows.update(connection, "UPDATE approval_requests SET status = ?, last_updated_time = ? WHERE request_id = ? "
                + "AND status = ?", to.name(), now, id, from.name()) == 1;
    }

    private List<ApprovalRequest> requests(SqlText fromWhere) throws SQLException {
        List<ApprovalRequest> undecided = Rows.all(connection, new SqlText().append("SELECT " + COLUMNS).append(fromWhere),
                rows -> new ApprovalRequest(rows.getLong(1), rows.getString(2), rows.getLong(3),
                        ApprovalTarget.of(rows.getString(4), rows.getString(5), rows.getBoolean(12)), rows.getString(6),
                        rows.getLong(7), RiskTier.valueOf(rows.getString(8)), rows.getInt(9),
                        ApprovalStatus.valueOf(rows.getString(10)), CHECKS.read(rows.getString(11)), List.of()));
        if (undecided.isEmpty()) {
            return List.of();
        }
        Map<Long, List<Decision>> decisions = new HashMap<>();
        Rows.group(connection, new SqlText().append("SELECT request_id, decided_by, decided_time, verdict, reason FROM "
                + "approval_decisions WHERE request_id IN (").bindAll(undecided.stream().map(ApprovalRequest::id).toList())
                .append(") ORDER BY request_id, decision_no"), rows -> rows.getLong(1), rows -> new Decision(
                rows.getString(2), rows.getLong(3), Verdict.valueOf(rows.getString(4)), rows.getString(5)), decisions);
        return undecided.stream().map(r -> new ApprovalRequest(r.id(), r.model(), r.version(), r.target(),
                r.requester(), r.createdTime(), r.tier(), r.requiredApprovals(), r.status(), r.checks(),
                decisions.getOrDefault(r.id(), List.of()))).toList();
    }
}
