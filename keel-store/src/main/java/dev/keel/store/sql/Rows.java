package dev.keel.store.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The statements every store would otherwise write by hand: a query for one row, for all rows
 * or for rows grouped by owner, with bound values; an update, a batch of them, and the next
 * numbered id. Values bind as {@link SqlText#bind} takes them.
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

    /** What one statement of a batch binds, in placeholder order. */
    @FunctionalInterface
    public interface Binder<T> {
        Object[] values(T item);
    }

    /** Every row {@code sql} finds with {@code values} bound in order, in its order. */
    public static <T> List<T> all(Connection connection, String sql, Mapper<T> mapper, Object... values)
            throws SQLException {
        List<T> found = new ArrayList<>();
        try (PreparedStatement statement = bound(connection, sql, values); ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                found.add(mapper.map(rows));
            }
        }
        return found;
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

    /**
     * Adds every row {@code sql} finds to {@code into}, under the owner {@code owner} reads from
     * it, in the query's order: how a page of rows gets each one's tags, aliases or files in one
     * query rather than one per row.
     */
    public static <K, V> void group(Connection connection, SqlText sql, Mapper<K> owner, Mapper<V> value,
                                    Map<K, List<V>> into) throws SQLException {
        try (PreparedStatement statement = sql.prepare(connection); ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                into.computeIfAbsent(owner.map(rows), k -> new ArrayList<>()).add(value.map(rows));
            }
        }
    }

    /**
     * Runs {@code sql} once for each of {@code items}, with the values {@code binder} gives it
     * bound in order, as one batch; a single item runs as a plain update, which spares the
     * driver its batch bookkeeping on the most common write (one metric, one tag).
     */
    public static <T> void batch(Connection connection, String sql, Collection<T> items, Binder<T> binder)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            if (items.size() == 1) {
                bind(statement, binder.values(items.iterator().next()));
                statement.executeUpdate();
                return;
            }
            for (T item : items) {
                bind(statement, binder.values(item));
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    private static void bind(PreparedStatement statement, Object[] values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            SqlText.set(statement, i + 1, values[i]);
        }
    }

    private static PreparedStatement bound(Connection connection, String sql, Object... values) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            bind(statement, values);
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
