package dev.keel.store.sql;

import dev.keel.core.KeelException;
import dev.keel.core.Page;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Keyset paging, for every search: a page is the rows after the last row of the previous one in
 * a total order, found with {@code k1 > v1 OR (k1 = v1 AND k2 < v2) OR …} over keys of mixed
 * directions. Unlike an offset it stays correct while rows are added, and the database never
 * counts past rows already returned. Each sort key is selected as {@code s0, s1, …} so the next
 * page's token can be read from the last row.
 */
public final class KeysetPage {
    private KeysetPage() {
    }

    /**
     * {@code SELECT columns, key0 AS s0, … FROM … WHERE conditions AND after-the-last-row ORDER BY
     * s0, … LIMIT limit}; {@code after} null reads from the start.
     */
    public static SqlText select(String columns, List<SortKey> keys, SqlText from, List<SqlText> conditions,
                                 List<Object> after, int limit) {
        SqlText sql = new SqlText().append("SELECT ").append(columns);
        for (int i = 0; i < keys.size(); i++) {
            sql.append(", ").append(keys.get(i).expression()).append(" AS s").append(Integer.toString(i));
        }
        sql.append(from);
        List<SqlText> where = new ArrayList<>(conditions);
        if (after != null) {
            where.add(after(keys, after));
        }
        for (int i = 0; i < where.size(); i++) {
            sql.append(i == 0 ? " WHERE " : " AND ").append(where.get(i));
        }
        sql.append(" ORDER BY ");
        for (int i = 0; i < keys.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("s").append(Integer.toString(i))
                    .append(keys.get(i).ascending() ? " ASC" : " DESC");
        }
        return sql.append(" LIMIT ").bind((long) limit);
    }

    /**
     * The page {@code page} asks for of {@code search}, each row read by {@code mapper}; the next
     * page's token from the last row when more rows follow.
     */
    public static <R> Page<R> read(Connection connection, KeysetSearch search, PageRequest page, Rows.Mapper<R> mapper)
            throws SQLException {
        PageToken after = page.after();
        int maxResults = page.maxResults();
        List<R> found = new ArrayList<>();
        List<Object> lastKey = null;
        boolean more = false;
        try (PreparedStatement statement = search.select(after == null ? null : after.sortKey(), maxResults + 1)
                .prepare(connection);
             ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                if (found.size() == maxResults) {
                    more = true;
                    break;
                }
                found.add(mapper.map(rows));
                lastKey = keys(search.sortKeys(), rows);
            }
        }
        return new Page<>(found, more ? page.next(lastKey) : null);
    }

    private static List<Object> keys(List<SortKey> keys, ResultSet row) throws SQLException {
        List<Object> values = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            values.add(keys.get(i).read(row, "s" + i));
        }
        return values;
    }

    /** The rows after the one whose keys are {@code values}; a token of another search is a 400. */
    static SqlText after(List<SortKey> keys, List<Object> values) {
        if (values.size() != keys.size()) {
            throw KeelException.invalid("'page_token' does not belong to this search");
        }
        for (int i = 0; i < keys.size(); i++) {
            if (!keys.get(i).accepts(values.get(i))) {
                throw KeelException.invalid("'page_token' does not belong to this search");
            }
        }
        SqlText sql = new SqlText().append("(");
        for (int i = 0; i < keys.size(); i++) {
            sql.append(i > 0 ? " OR (" : "(");
            for (int j = 0; j < i; j++) {
                sql.append(keys.get(j).expression()).append(" = ").bind(values.get(j)).append(" AND ");
            }
            SortKey key = keys.get(i);
            sql.append(key.expression()).append(key.ascending() ? " > " : " < ").bind(values.get(i)).append(")");
        }
        return sql.append(")");
    }
}
