package dev.keel.store.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The two statements every store writes by hand otherwise: an update with bound values, and the next numbered id. */
public final class Rows {
    private Rows() {
    }

    /** Runs {@code sql} with {@code values} bound in order; returns how many rows it changed. */
    public static int update(Connection connection, String sql, Object... values) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                SqlText.set(statement, i + 1, values[i]);
            }
            return statement.executeUpdate();
        }
    }

    /** The largest {@code column} of {@code table} plus one, or {@code first} when the table is empty. */
    public static long nextId(Connection connection, String table, String column, long first) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT MAX(" + column + ") FROM " + table);
             ResultSet rows = statement.executeQuery()) {
            rows.next();
            long max = rows.getLong(1);
            return rows.wasNull() ? first : max + 1;
        }
    }
}
