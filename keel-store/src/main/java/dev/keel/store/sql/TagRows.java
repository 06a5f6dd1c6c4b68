package dev.keel.store.sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * The tags of one owner (an experiment, a run, a registered model, a version) in a table of
 * {@code (owner columns…, tag_key, tag_value)} with the owner and key as its primary key: set
 * (insert or replace the value) and delete. Every capability's tags are stored this way.
 *
 * @param table        such as {@code run_tags}
 * @param ownerColumns such as {@code run_id}, or {@code model_id, version}
 */
public record TagRows(String table, List<String> ownerColumns) {
    public TagRows(String table, String... ownerColumns) {
        this(table, List.of(ownerColumns));
    }

    /**
     * Sets each tag of {@code owner}, replacing values; keys must be distinct (PostgreSQL refuses
     * to update a row twice in one statement).
     */
    public <T> void upsert(Connection connection, List<?> owner, Collection<T> tags, Function<T, String> key,
                           Function<T, String> value) throws SQLException {
        String columns = String.join(", ", ownerColumns);
        String marks = "?, ".repeat(ownerColumns.size());
        Rows.batch(connection, "INSERT INTO " + table + " (" + columns + ", tag_key, tag_value) VALUES (" + marks
                + "?, ?) ON CONFLICT (" + columns + ", tag_key) DO UPDATE SET tag_value = excluded.tag_value", tags,
                tag -> ownerThen(owner, key.apply(tag), value.apply(tag)));
    }

    /** Deletes one tag of {@code owner}; says whether it was there. */
    public boolean delete(Connection connection, List<?> owner, String key) throws SQLException {
        StringBuilder sql = new StringBuilder("DELETE FROM ").append(table).append(" WHERE ");
        for (String column : ownerColumns) {
            sql.append(column).append(" = ? AND ");
        }
        return Rows.update(connection, sql.append("tag_key = ?").toString(), ownerThen(owner, key)) > 0;
    }

    /** The owner's values, then {@code more}: one statement's values in placeholder order. */
    private static Object[] ownerThen(List<?> owner, Object... more) {
        List<Object> values = new ArrayList<>(owner);
        values.addAll(Arrays.asList(more));
        return values.toArray();
    }
}
