package dev.keel.registry.sql;

import dev.keel.store.sql.SqlText;
import dev.keel.store.sql.FilterPredicates;
import dev.keel.store.sql.KeysetPage;
import dev.keel.store.sql.KeysetSearch;
import dev.keel.store.sql.SortKey;
import dev.keel.store.sql.VisibleRows;
import dev.keel.core.KeelException;
import dev.keel.core.Visibility;
import dev.keel.store.Dialect;
import dev.keel.store.search.Clause;
import dev.keel.store.search.EntityType;
import dev.keel.store.search.OrderBy;

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
public final class SearchQuery implements KeysetSearch {
    /** What is searched: which table, which attributes mean which columns. */
    public enum Target { REGISTERED_MODELS, MODEL_VERSIONS }

    private final Dialect dialect;
    private final FilterPredicates predicates;
    private final Target target;
    private final List<Clause> filter;
    private final List<SortKey> keys;
    private final Visibility visibility;

    public SearchQuery(Dialect dialect, Target target, List<Clause> filter, List<OrderBy> orderBy,
                       Visibility visibility) {
        this.dialect = dialect;
        this.predicates = new FilterPredicates(dialect, FilterPredicates.Literals.AS_WRITTEN);
        this.target = target;
        this.filter = List.copyOf(filter);
        this.keys = sortKeys(orderBy);
        this.visibility = Objects.requireNonNull(visibility, "visibility");
    }

    /** The rows after {@code afterKey} (null: from the start), at most {@code limit} of them. */
    @Override
    public SqlText select(List<Object> afterKey, int limit) {
        SqlText from = new SqlText().append(target == Target.REGISTERED_MODELS ? " FROM registered_models m"
                : " FROM model_versions v JOIN registered_models m ON m.model_id = v.model_id");
        List<SqlText> where = new ArrayList<>();
        if (!(visibility instanceof Visibility.All)) {
            // permissions are granted on a model by its name; its versions go with it
            where.add(VisibleRows.condition(dialect, "m.name", VisibleRows.Ids.TEXT, visibility));
        }
        for (Clause clause : filter) {
            where.add(predicate(clause));
        }
        return KeysetPage.select(target == Target.REGISTERED_MODELS ? JdbcModelStore.MODEL_COLUMNS
                : JdbcModelStore.VERSION_COLUMNS, keys, from, where, afterKey, limit);
    }

    @Override
    public List<SortKey> sortKeys() {
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
                    .append(predicates.text("t.tag_value", field, clause.comparator(), clause.value())).append(")");
        }
        return switch (clause.key()) {
            case "name" -> predicates.text("m.name", field, clause.comparator(), clause.value());
            case "run_id" -> predicates.text("v.run_id", field, clause.comparator(), clause.value());
            case "source_path" -> predicates.text("v.source", field, clause.comparator(), clause.value());
            case "version_number" -> predicates.number("v.version", field, clause.comparator(), clause.value());
            default -> throw KeelException.invalid("cannot filter on '" + clause.key() + "'");
        };
    }
}
