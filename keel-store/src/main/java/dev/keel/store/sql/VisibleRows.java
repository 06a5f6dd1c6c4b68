package dev.keel.store.sql;

import dev.keel.core.Visibility;
import dev.keel.store.Dialect;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The condition that keeps, inside a search's own query, only the rows a {@link Visibility}
 * lets the caller read, so {@code LIMIT} counts visible rows and keyset page tokens stay exact.
 *
 * <p>Up to {@link #INLINE_LIMIT} ids are bound one parameter each ({@code id IN (?, ?, …)}),
 * which both planners read best. More would sooner or later meet SQLite's limit of 32,766
 * parameters in one statement, so a larger set travels as <em>one</em> parameter holding a JSON
 * array that the database unpacks itself (SQLite {@code json_each}, PostgreSQL
 * {@code json_array_elements_text}). Not a temporary table: the search stays a single read-only
 * statement, fine on a pooled read connection.
 */
public final class VisibleRows {
    /** The most ids bound as separate parameters; above it they go as one JSON array. */
    public static final int INLINE_LIMIT = 500;

    /** How the filtered column stores the resource ids. */
    public enum Ids { TEXT, INTEGER }

    private VisibleRows() {
    }

    /** The condition on {@code column} (a SQL expression holding the resource id) for {@code visibility}. */
    public static SqlText condition(Dialect dialect, String column, Ids ids, Visibility visibility) {
        // never read a missing answer as "everything"
        Objects.requireNonNull(visibility, "visibility");
        if (visibility instanceof Visibility.Only only) {
            List<Object> values = values(ids, only.ids());
            return values.isEmpty() ? new SqlText().append("1 = 0") : membership(dialect, column, ids, values, " IN ");
        }
        if (visibility instanceof Visibility.AllExcept except) {
            List<Object> values = values(ids, except.ids());
            return values.isEmpty() ? new SqlText().append("1 = 1") : membership(dialect, column, ids, values, " NOT IN ");
        }
        return new SqlText().append("1 = 1");
    }

    private static SqlText membership(Dialect dialect, String column, Ids ids, List<Object> values, String operator) {
        SqlText sql = new SqlText().append(column).append(operator).append("(");
        if (values.size() <= INLINE_LIMIT) {
            return sql.bindAll(values).append(")");
        }
        if (dialect == Dialect.SQLITE) {
            sql.append("SELECT value FROM json_each(").bind(jsonArray(values)).append(")");
        } else if (ids == Ids.INTEGER) {
            sql.append("SELECT CAST(json_array_elements_text(CAST(").bind(jsonArray(values)).append(" AS json)) AS BIGINT)");
        } else {
            sql.append("SELECT json_array_elements_text(CAST(").bind(jsonArray(values)).append(" AS json))");
        }
        return sql.append(")");
    }

    /** The ids as bind values, sorted (the same set gives the same SQL); an id that is no number names no numeric row. */
    private static List<Object> values(Ids ids, Set<String> given) {
        List<Object> values = new ArrayList<>();
        for (String id : new TreeSet<>(given)) {
            if (ids == Ids.TEXT) {
                values.add(id);
            } else {
                try {
                    values.add(Long.parseLong(id));
                } catch (NumberFormatException notANumber) {
                    // no row has it
                }
            }
        }
        return values;
    }

    static String jsonArray(List<Object> values) {
        StringBuilder json = new StringBuilder(values.size() * 12 + 2).append('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                json.append(',');
            }
            Object value = values.get(i);
            if (value instanceof Long number) {
                json.append(number.longValue());
            } else {
                string(json, (String) value);
            }
        }
        return json.append(']').toString();
    }

    private static void string(StringBuilder json, String text) {
        json.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20) {
                json.append(String.format("\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        json.append('"');
    }
}
