package dev.keel.store.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The statements every store would otherwise write by hand: a query for one row or for all
 * rows with bound values, an update, and the next numbered id.
 */
public final class Rows {
    private Rows() {
    }

    /** Reads one result row. */
    @FunctionalInterface
    public interface Mapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    /** The first row {@code sql} finds with {@code values} bound in order, or empty. */
    public static <T> Optional<T> first(Connection connection, String sql, Mapper<T> mapper, Object... values)
            throws SQLException {
        try (PreparedStatement statement = bound(connection, sql, values); ResultSet rows = statement.executeQuery()) {
            return rows.next() ? Optional.of(mapper.map(rows)) : Optional.empty();
        }
    }

    /** Every row {@code sql} finds, in its order. */
    public static <T> List<T> all(Connection connection, SqlText sql, Mapper<T> mapper) throws SQLException {
        List<T> found = new ArrayList<>();
        try (PreparedStatement statement = sql.prepare(connection); ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                found.add(mapper.map(rows));
            }
        }
        return found;
    }

    /** Runs {@code sql} with {@code values} bound in order; returns how many rows it changed. */
    public static int update(Connection connection, String sql, Object... values) throws SQLException {
        try (PreparedStatement statement = bound(connection, sql, values)) {
            return statement.executeUpdate();
        }
    }

    private static PreparedStatement bound(Connection connection, String sql, Object... values) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            for (int i = 0; i < values.length; i++) {
                SqlText.set(statement, i + 1, values[i]);
            }
            return statement;
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
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
