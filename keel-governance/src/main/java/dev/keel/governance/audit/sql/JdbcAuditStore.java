package dev.keel.governance.audit.sql;

import dev.keel.api.audit.AuditEvent;
import dev.keel.api.audit.Checkpoint;

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
        try (PreparedStatement select = connection.prepareStatement("SELECT seq, hash FROM audit_chain_head WHERE id = 1");
             ResultSet head = select.executeQuery()) {
            return head.next() ? Optional.of(new Head(head.getLong(1), head.getString(2))) : Optional.empty();
        }
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
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE audit_chain_head SET " + set + " WHERE id = 1 RETURNING seq, hash");
             ResultSet head = update.executeQuery()) {
            if (!head.next()) {
                throw new SQLException("the audit chain head is missing (table audit_chain_head has no row 1)");
            }
            return new Head(head.getLong(1), head.getString(2));
        }
    }

    public void moveHead(Head head) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE audit_chain_head SET seq = ?, hash = ? WHERE id = 1")) {
            update.setLong(1, head.seq());
            update.setString(2, head.hash());
            update.executeUpdate();
        }
    }

    // events

    /** Appends one hashed event, written in {@code format}. */
    public void append(AuditEvent event, int format) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT_EVENT)) {
            bind(insert, event, format);
            insert.executeUpdate();
        }
    }

    /** Appends hashed events in one batch, all written in {@code format}. */
    public void appendAll(List<AuditEvent> events, int format) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT_EVENT)) {
            for (AuditEvent event : events) {
                bind(insert, event, format);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static void bind(PreparedStatement insert, AuditEvent event, int format) throws SQLException {
        insert.setLong(1, event.seq());
        insert.setLong(2, event.recordedAt());
        insert.setString(3, event.actor());
        insert.setString(4, event.action());
        insert.setString(5, event.resource());
        insert.setString(6, event.summary());
        insert.setString(7, event.prevHash());
        insert.setString(8, event.hash());
        insert.setInt(9, format);
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
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO audit_staged (recorded_at, actor, "
                + "action, resource, summary, format) VALUES (?, ?, ?, ?, ?, ?)")) {
            insert.setLong(1, recordedAt);
            insert.setString(2, actor);
            insert.setString(3, action);
            insert.setString(4, resource);
            insert.setString(5, summary);
            insert.setInt(6, format);
            insert.executeUpdate();
        }
    }

    public boolean anyStaged() throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT 1 FROM audit_staged LIMIT 1");
             ResultSet rows = select.executeQuery()) {
            return rows.next();
        }
    }

    /**
     * Deletes the {@code limit} earliest staged events this transaction can see and returns them
     * in arrival order; they are gone unless the transaction rolls back.
     */
    public List<Staged> takeStaged(int limit) throws SQLException {
        List<Staged> staged = new ArrayList<>();
        try (PreparedStatement take = connection.prepareStatement("DELETE FROM audit_staged WHERE arrival IN"
                + " (SELECT arrival FROM audit_staged ORDER BY arrival LIMIT " + limit + ")"
                + " RETURNING arrival, recorded_at, actor, action, resource, summary, format");
             ResultSet rows = take.executeQuery()) {
            while (rows.next()) {
                staged.add(new Staged(rows.getLong(1), rows.getLong(2), rows.getString(3), rows.getString(4),
                        rows.getString(5), rows.getString(6), rows.getInt(7)));
            }
        }
        staged.sort(Comparator.comparingLong(Staged::arrival)); // RETURNING promises no order
        return staged;
    }

    // checkpoints

    public void insertCheckpoint(Checkpoint signed) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO audit_checkpoints (seq, hash, signed_at, key_id, signature) VALUES (?, ?, ?, ?, ?)")) {
            insert.setLong(1, signed.seq());
            insert.setString(2, signed.hash());
            insert.setLong(3, signed.signedAt());
            insert.setString(4, signed.keyId());
            insert.setString(5, signed.signature());
            insert.executeUpdate();
        }
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
        List<Checkpoint> found = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT seq, hash, signed_at, key_id, signature FROM audit_checkpoints " + clause);
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                found.add(new Checkpoint(rows.getLong(1), rows.getString(2), rows.getLong(3), rows.getString(4),
                        rows.getString(5)));
            }
        }
        return found;
    }
}
