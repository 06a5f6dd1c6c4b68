package dev.keel.store.sql;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * One column of a search's total order: a never-null SQL expression, how its value is read and
 * bound, and its direction. Nullable columns become two keys (a 0/1 "missing" flag, always
 * ascending so missing values sort last, then the coalesced value), which keeps keyset
 * comparisons free of NULL.
 */
public record SortKey(String expression, Kind kind, boolean ascending) {
    public enum Kind { LONG, DOUBLE, STRING }

    public Object read(ResultSet row, String column) throws SQLException {
        return switch (kind) {
            case LONG -> row.getLong(column);
            case DOUBLE -> row.getDouble(column);
            case STRING -> row.getString(column);
        };
    }

    /** Whether a value decoded from a page token has this key's type. */
    public boolean accepts(Object value) {
        return switch (kind) {
            case LONG -> value instanceof Long;
            case DOUBLE -> value instanceof Double;
            case STRING -> value instanceof String;
        };
    }
}
