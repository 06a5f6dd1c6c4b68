package dev.keel.governance.audit.sql;

import dev.keel.api.audit.AuditEvent;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Audit events read one at a time from a forward-only result, so a replay or an export of the
 * whole chain never holds it in memory. Each event comes with the format it was written in.
 */
public final class EventCursor implements AutoCloseable {
    private final PreparedStatement statement;
    private final ResultSet rows;

    EventCursor(PreparedStatement statement, ResultSet rows) {
        this.statement = statement;
        this.rows = rows;
    }

    /** Moves to the next event; false after the last. */
    public boolean next() throws SQLException {
        return rows.next();
    }

    public AuditEvent event() throws SQLException {
        return event(rows);
    }

    /** The format the current event was written in: how its hash was computed. */
    public int format() throws SQLException {
        return rows.getInt(9);
    }

    static AuditEvent event(ResultSet rows) throws SQLException {
        return new AuditEvent(rows.getLong(1), rows.getLong(2), rows.getString(3), rows.getString(4), rows.getString(5),
                rows.getString(6), rows.getString(7), rows.getString(8));
    }

    @Override
    public void close() throws SQLException {
        try (statement) {
            rows.close();
        }
    }
}
