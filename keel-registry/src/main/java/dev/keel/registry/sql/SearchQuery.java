package dev.keel.registry.sql;

import dev.keel.store.sql.SqlText;
import dev.keel.store.sql.LikePattern;
import dev.keel.store.sql.SortKey;
import dev.keel.store.sql.VisibleRows;
import dev.keel.core.KeelException;
import dev.keel.core.Visibility;
import dev.keel.store.Dialect;
import dev.keel.tracking.search.Clause;
import dev.keel.tracking.search.Comparator;
import dev.keel.tracking.search.EntityType;
import dev.keel.tracking.search.FilterValue;
import dev.keel.tracking.search.OrderBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A registered model or model version search as SQL: the filter's comparisons, the order with
 * a unique tie-breaker, and keyset paging after the last row of the previous page. Model
 * versions are joined to their model for its name ({@code m.name}). Models the caller may not
 * read, and their versions, are left out by the query itself, so a page is full when enough
 * visible rows match.
 */
public final class SearchQuery {
    /** What is searched: which table, which attributes mean which columns. */
    public enum Target { REGISTERED_MODELS, MODEL_VERSIONS }

    private final Dialect dialect;
    private final Target target;
    private final List<Clause> filter;
    private final List<SortKey> keys;
    private final Visibility visibility;

    public SearchQuery(Dialect dialect, Target target, List<Clause> filter, List<OrderBy> orderBy,
                       Visibility visibility) {
        this.dialect = dialect;
        this.target = target;
        this.filter = List.copyOf(filter);
        this.keys = sortKeys(orderBy);
        this.visibility = Objects.requireNonNull(visibility, "visibility");
    }

    /** The rows after {@code afterKey} (null: from the start), at most {@code limit} of them. */
    SqlText select(List<Object> afterKey, int limit) {
        SqlText sql = new SqlText().append("SELECT ").append(target == Target.REGISTERED_MODELS
                ? JdbcModelStore.MODEL_COLUMNS : JdbcModelStore.VERSION_COLUMNS);
        for (int i = 0; i < keys.size(); i++) {
            sql.append(", ").append(keys.get(i).expression()).append(" AS sk").append(String.valueOf(i));
        }
        sql.append(target == Target.REGISTERED_MODELS ? " FROM registered_models m"
                : " FROM model_versions v JOIN registered_models m ON m.model_id = v.model_id");
        List<SqlText> where = new ArrayList<>();
        if (!(visibility instanceof Visibility.All)) {
            // permissions are granted on a model by its name; its versions go with it
            where.add(VisibleRows.condition(dialect, "m.name", VisibleRows.Ids.TEXT, visibility));
        }
        for (Clause clause : filter) {
            where.add(predicate(clause));
        }
        if (afterKey != null) {
            where.add(after(afterKey));
        }
        for (int i = 0; i < where.size(); i++) {
            sql.append(i == 0 ? " WHERE " : " AND ").append(where.get(i));
        }
        sql.append(" ORDER BY ");
        for (int i = 0; i < keys.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(keys.get(i).expression()).append(keys.get(i).ascending() ? " ASC" : " DESC");
        }
        return sql.append(" LIMIT ").bind((long) limit);
    }

    List<SortKey> keys() {
        return keys;
    }

    private List<SortKey> sortKeys(List<OrderBy> orderBy) {
        List<SortKey> sort = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (OrderBy clause : orderBy) {
            if (seen.contains(clause.key())) {
                throw KeelException.invalid("order_by names '" + clause.key() + "' twice");
            }
            seen.add(clause.key());
            sort.add(sortKey(clause.key(), clause.ascending()));
        }
        // a unique tie-breaker makes the order total, so keyset paging never skips or repeats a row
        if (!seen.contains("name")) {
            sort.add(sortKey("name", true));
        }
        if (target == Target.MODEL_VERSIONS && !seen.contains("version_number")) {
            sort.add(sortKey("version_number", false));
        }
        return List.copyOf(sort);
    }

    private SortKey sortKey(String attribute, boolean ascending) {
        return switch (attribute) {
            case "name" -> new SortKey("m.name", SortKey.Kind.STRING, ascending);
            case "last_updated_timestamp" -> new SortKey(prefix() + ".last_updated_time", SortKey.Kind.LONG, ascending);
            case "creation_timestamp" -> new SortKey(prefix() + ".creation_time", SortKey.Kind.LONG, ascending);
            case "version_number" -> new SortKey("v.version", SortKey.Kind.LONG, ascending);
            default -> throw KeelException.invalid("cannot order by '" + attribute + "'");
        };
    }

    private String prefix() {
        return target == Target.REGISTERED_MODELS ? "m" : "v";
    }

    private SqlText predicate(Clause clause) {
        String field = clause.entity() == EntityType.TAG ? "tag '" + clause.key() + "'" : clause.key();
        if (clause.entity() == EntityType.TAG) {
            String table = target == Target.REGISTERED_MODELS ? "registered_model_tags" : "model_version_tags";
            String join = target == Target.REGISTERED_MODELS ? "t.model_id = m.model_id"
                    : "t.model_id = v.model_id AND t.version = v.version";
            return new SqlText().append("EXISTS (SELECT 1 FROM ").append(table).append(" t WHERE ").append(join)
                    .append(" AND t.tag_key = ").bind(clause.key()).append(" AND ")
                    .append(text("t.tag_value", field, clause.comparator(), clause.value())).append(")");
        }
        return switch (clause.key()) {
            case "name" -> text("m.name", field, clause.comparator(), clause.value());
            case "run_id" -> text("v.run_id", field, clause.comparator(), clause.value());
            case "source_path" -> text("v.source", field, clause.comparator(), clause.value());
            case "version_number" -> number("v.version", field, clause.comparator(), clause.value());
            default -> throw KeelException.invalid("cannot filter on '" + clause.key() + "'");
        };
    }

    /** A comparison of a text column; a NULL column matches nothing. */
    private SqlText text(String column, String field, Comparator comparator, FilterValue value) {
        SqlText sql = new SqlText();
        switch (comparator) {
            case EQ -> sql.append(column).append(" = ").bind(string(field, value));
            case NEQ -> sql.append(column).append(" <> ").bind(string(field, value));
            case LIKE -> {
                // SQLite's LIKE ignores ASCII case; its GLOB does not, as MLflow's LIKE must not
                if (dialect == Dialect.SQLITE) {
                    sql.append(column).append(" GLOB ").bind(LikePattern.toGlob(string(field, value)));
                } else {
                    sql.append(column).append(" LIKE ").bind(string(field, value)).append(" ESCAPE '\\'");
                }
            }
            case ILIKE -> sql.append("LOWER(").append(column).append(") LIKE LOWER(").bind(string(field, value))
                    .append(") ESCAPE '\\'");
            case IN, NOT_IN -> {
                if (!(value instanceof FilterValue.StringList list)) {
                    throw KeelException.invalid(field + " " + comparator.symbol() + " needs a list of quoted strings");
                }
                sql.append(column).append(comparator == Comparator.IN ? " IN (" : " NOT IN (").bindAll(list.values()).append(")");
            }
            default -> throw KeelException.invalid("'" + comparator.symbol() + "' cannot compare " + field
                    + "; use =, !=, LIKE or ILIKE");
        }
        return sql;
    }

    private static SqlText number(String column, String field, Comparator comparator, FilterValue value) {
        String op = switch (comparator) {
            case EQ -> " = ";
            case NEQ -> " <> ";
            case GT -> " > ";
            case GE -> " >= ";
            case LT -> " < ";
            case LE -> " <= ";
            default -> throw KeelException.invalid("'" + comparator.symbol() + "' cannot compare " + field
                    + "; use =, !=, >, >=, < or <=");
        };
        if (!(value instanceof FilterValue.NumberValue n)) {
            throw KeelException.invalid(field + " compares with a number");
        }
        double d = n.value();
        Object bound = d == Math.rint(d) && Math.abs(d) < 9.0e18 ? (Object) (long) d : (Object) d;
        return new SqlText().append(column).append(op).bind(bound);
    }

    private static String string(String field, FilterValue value) {
        if (value instanceof FilterValue.StringValue s) {
            return s.value();
        }
        throw KeelException.invalid(field + " compares with one quoted string");
    }

    /** Keyset paging over mixed directions: {@code k1 > v1 OR (k1 = v1 AND k2 < v2) OR …}. */
    private SqlText after(List<Object> values) {
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
