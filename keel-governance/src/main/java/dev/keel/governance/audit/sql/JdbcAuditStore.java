package dev.keel.governance.audit.sql;

import dev.keel.api.audit.AuditEvent;
import dev.keel.api.audit.Checkpoint;
import dev.keel.store.sql.Rows;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The audit tables (the chain's head, its events, the staged events and the signed
 * checkpoints), read and written through one connection, and so inside whatever transaction the
 * caller holds. It knows SQL, not the chain: the trail numbers, hashes and signs.
 */
public record JdbcAuditStore(Connection connection) {

    /** Rows a streaming read fetches at a time: enough to keep the cursor busy, never the whole table. */
    static final int FETCH_SIZE = 10_000;

    private static final String EVENT_COLUMNS = "seq, recorded_at, actor, action, resource, summary, prev_hash, hash";
    private static final String INSERT_EVENT =
            "INSERT INTO audit_events (" + EVENT_COLUMNS + ", format) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /** The chain's head: how many events it holds, and the last one's hash. */
    public record Head(long seq, String hash) {
    }

    /** An event as staged: everything but its place in the chain. */
    public record Staged(long arrival, long recordedAt, String actor, String action, String resource, String summary,
                         int format) {
    }

    // the head

    /** The head, unlocked: for a replay, which reads one snapshot. Empty if its row is gone. */
    public Optional<Head> head() throws SQLException {
        return Rows.first(connection, "SELECT seq, hash FROM audit_chain_head WHERE id = 1", JdbcAuditStore::head);
    }

    /** Counts one more event and returns the new count with the hash before it; holds the head's row lock. */
    public Head advanceHead() throws SQLException {
        return updateHead("seq = seq + 1");
    }

    /** The head, under its row lock until the transaction ends (a no-op update: PostgreSQL has no lighter way). */
    public Head holdHead() throws SQLException {
        return updateHead("seq = seq");
    }

    private Head updateHead(String set) throws SQLException {
        return Rows.first(connection, "UPDATE audit_chain_head SET " + set + " WHERE id = 1 RETURNING seq, hash",
                JdbcAuditStore::head).orElseThrow(() -> new SQLException(
                "the audit chain head is missing (table audit_chain_head has no row 1)"));
    }

    private static Head head(ResultSet row) throws SQLException {
        return new Head(row.getLong(1), row.getString(2));
    }

    public void moveHead(Head head) throws SQLException {
        Rows.update(connection, "UPDATE audit_chain_head SET seq = ?, hash = ? WHERE id = 1", head.seq(), head.hash());
    }

    // events

    /** Appends one hashed event, written in {@code format}. */
    public void append(AuditEvent event, int format) throws SQLException {
        appendAll(List.of(event), format);
    }

    /** Appends hashed events in one batch, all written in {@code format}. */
    public void appendAll(List<AuditEvent> events, int format) throws SQLException {
        Rows.batch(connection, INSERT_EVENT, events, event -> new Object[]{event.seq(), event.recordedAt(), event.actor(),
                event.action(), event.resource(), event.summary(), event.prevHash(), event.hash(), format});
    }

    /**
     * The last {@code limit} events, oldest first; with a {@code resource}, only the events about
     * it and about what lies under it ({@code model/m} finds {@code model/m/version/1}).
     */
    public List<AuditEvent> latest(String resource, int limit) throws SQLException {
        boolean filtered = resource != null && !resource.isBlank();
        String sql = "SELECT " + EVENT_COLUMNS + " FROM audit_events"
                + (filtered ? " WHERE resource = ? OR substr(resource, 1, ?) = ?" : "")
                + " ORDER BY seq DESC LIMIT ?";
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            int i = 1;
            if (filtered) {
                String under = resource + "/";
                select.setString(i++, resource);
                select.setInt(i++, under.length());
                select.setString(i++, under);
            }
            select.setInt(i, limit);
            List<AuditEvent> found = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    found.add(EventCursor.event(rows));
                }
            }
            Collections.reverse(found);
            return found;
        }
    }

    /** Every event in chain order, streamed, with the format each was written in. */
    public EventCursor eventsInOrder() throws SQLException {
        return stream(connection.prepareStatement(
                "SELECT " + EVENT_COLUMNS + ", format FROM audit_events ORDER BY seq"));
    }

    /** The events from the first one recorded at or after {@code sinceMillis} on, in chain order, streamed. */
    public EventCursor eventsSince(long sinceMillis) throws SQLException {
        PreparedStatement select = connection.prepareStatement("SELECT " + EVENT_COLUMNS + ", format"
                // no event at or after 'since': MIN is NULL, so is every comparison, and nothing is exported
                + " FROM audit_events WHERE seq >= (SELECT MIN(seq) FROM audit_events WHERE recorded_at >= ?)"
                + " ORDER BY seq");
        try {
            select.setLong(1, sinceMillis);
        } catch (SQLException e) {
            select.close();
            throw e;
        }
        return stream(select);
    }

    private static EventCursor stream(PreparedStatement select) throws SQLException {
        try {
            select.setFetchSize(FETCH_SIZE);
            return new EventCursor(select, select.executeQuery());
        } catch (SQLException e) {
            select.close();
            throw e;
        }
    }

    // staged events (PostgreSQL)

    public void stage(long recordedAt, String actor, String action, String resource, String summary, int format)
            throws SQLException {
        Rows.update(connection, "INSERT INTO audit_staged (recorded_at, actor, action, resource, summary, format) "
                + "VALUES (?, ?, ?, ?, ?, ?)", recordedAt, actor, action, resource, summary, format);
    }

    public boolean anyStaged() throws SQLException {
        return Rows.first(connection, "SELECT 1 FROM audit_staged LIMIT 1", rows -> true).isPresent();
    }

    /**
     * Deletes the {@code limit} earliest staged events this transaction can see and returns them
     * in arrival order; they are gone unless the transaction rolls back.
     */
    public List<Staged> takeStaged(int limit) throws SQLException {
        List<Staged> staged = Rows.all(connection, "DELETE FROM audit_staged WHERE arrival IN"
                + " (SELECT arrival FROM audit_staged ORDER BY arrival LIMIT " + limit + ")"
                + " RETURNING arrival, recorded_at, actor, action, resource, summary, format",
                rows -> new Staged(rows.getLong(1), rows.getLong(2), rows.getString(3), rows.getString(4),
                        rows.getString(5), rows.getString(6), rows.getInt(7)));
        staged.sort(Comparator.comparingLong(Staged::arrival)); // RETURNING promises no order
        return staged;
    }

    // checkpoints

    public void insertCheckpoint(Checkpoint signed) throws SQLException {
        Rows.update(connection, "INSERT INTO audit_checkpoints (seq, hash, signed_at, key_id, signature) "
                + "VALUES (?, ?, ?, ?, ?)", signed.seq(), signed.hash(), signed.signedAt(), signed.keyId(),
                signed.signature());
    }

    public Optional<Checkpoint> checkpointAt(long seq) throws SQLException {
        return checkpoints("WHERE seq = " + seq).stream().findFirst();
    }

    /** The newest checkpoint, if one was signed. */
    public Optional<Checkpoint> lastCheckpoint() throws SQLException {
        return checkpoints("ORDER BY seq DESC LIMIT 1").stream().findFirst();
    }

    public List<Checkpoint> checkpointsInOrder() throws SQLException {
        return checkpoints("ORDER BY seq");
    }

    private List<Checkpoint> checkpoints(String clause) throws SQLException {
        return Rows.all(connection, "SELECT seq, hash, signed_at, key_id, signature FROM audit_checkpoints " + clause,
                rows -> new Checkpoint(rows.getLong(1), rows.getString(2), rows.getLong(3), rows.getString(4),
                        rows.getString(5)));
    }
}
