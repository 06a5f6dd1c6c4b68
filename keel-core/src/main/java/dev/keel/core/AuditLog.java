package dev.keel.core;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where every change in Keel is recorded: who did what to which resource, and a short summary
 * of what changed. Services call {@link #record} inside the transaction that makes the change,
 * on that transaction's connection, so the change and its event are committed together or not
 * at all. Reads are not recorded.
 *
 * <p>Actions come from one catalogue, {@link AuditAction}, named {@code <kind>.<verb>}
 * ({@code run.log_batch}, {@code model_version.create}); resources are paths ({@code experiment/1}, {@code run/<id>}, {@code model/<name>/version/3}),
 * so the events about a resource and everything under it can be found by prefix. A summary
 * holds strings, numbers, booleans, nulls, lists and maps of those; it says what changed in a
 * few fields ("logged 1000 metrics, 3 params"), not every value.
 */
public interface AuditLog {

    /** Appends one event on {@code tx}, the open transaction of the change it describes. */
    void record(Connection tx, Actor actor, AuditAction action, String resource, Map<String, ?> summary)
            throws SQLException;

    /**
     * Records nothing: for a capability's own tests, which exercise its rules alone. The
     * composition root always passes the real audit trail.
     */
    AuditLog NONE = (tx, actor, action, resource, summary) -> { };

    /** A summary from alternating keys and values ({@code summary("key", "lr", "value", "0.01")}); values may be null. */
    static Map<String, Object> summary(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("a summary takes keys and values in pairs");
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            summary.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return summary;
    }
}
