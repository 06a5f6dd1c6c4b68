package dev.keel.registry.sql;

import dev.keel.store.sql.SqlText;
import dev.keel.store.sql.FilterPredicates;
import dev.keel.store.sql.KeysetQuery;
import dev.keel.store.sql.SortKey;
import dev.keel.store.sql.VisibleRows;
import dev.keel.core.KeelException;
import dev.keel.core.Visibility;
import dev.keel.store.Dialect;
import dev.keel.store.search.Clause;
import dev.keel.store.search.EntityType;
import dev.keel.store.search.OrderBy;
import dev.keel.store.search.SearchGrammar;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A registered model or model version search as SQL: the filter's comparisons, the order with
 * a unique tie-breaker, and keyset paging after the last row of the previous page. Model
 * versions are joined to their model for its name ({@code m.name}). Models the caller may not
 * read, and their versions, are left out by the query itself, so a page is full when enough
 * visible rows match.
 */
public final class SearchQuery extends KeysetQuery {
    /** What is searched: which table, which attributes mean which columns, and the grammar of its clauses. */
    public enum Target {
        REGISTERED_MODELS(SearchGrammar::parseRegisteredModelFilter, SearchGrammar::parseRegisteredModelOrderBy),
        MODEL_VERSIONS(SearchGrammar::parseModelVersionFilter, SearchGrammar::parseModelVersionOrderBy);

        private final Function<String, List<Clause>> filter;
        private final Function<String, OrderBy> orderBy;

        Target(Function<String, List<Clause>> filter, Function<String, OrderBy> orderBy) {
            this.filter = filter;
            this.orderBy = orderBy;
        }

        /** The comparisons of a filter on this target; null or blank means no filter. */
        public List<Clause> parseFilter(String filter) {
            return this.filter.apply(filter);
        }

        /** The order-by clauses of a search of this target. */
        public List<OrderBy> parseOrderBy(List<String> clauses) {
            return clauses.stream().map(orderBy).toList();
        }
    }

    private final FilterPredicates predicates;
    private final Target target;

    public SearchQuery(Dialect dialect, Target target, List<Clause> filter, List<OrderBy> orderBy,
                       Visibility visibility) {
        super(target == Target.REGISTERED_MODELS ? JdbcModelStore.MODEL_COLUMNS : JdbcModelStore.VERSION_COLUMNS,
                target == Target.REGISTERED_MODELS ? " FROM registered_models m"
                        : " FROM model_versions v JOIN registered_models m ON m.model_id = v.model_id");
        this.predicates = new FilterPredicates(dialect, FilterPredicates.Literals.AS_WRITTEN);
        this.target = target;
        order(orderBy);
        if (!(Objects.requireNonNull(visibility, "visibility") instanceof Visibility.All)) {
            // permissions are granted on a model by its name; its versions go with it
            where(VisibleRows.condition(dialect, "m.name", VisibleRows.Ids.TEXT, visibility));
        }
        for (Clause clause : filter) {
            where(predicate(clause));
        }
    }

    /** The order asked for, then the tie-breakers it lacks. */
    private void order(List<OrderBy> orderBy) {
        List<String> seen = new ArrayList<>();
        for (OrderBy clause : orderBy) {
            if (seen.contains(clause.key())) {
                throw KeelException.invalid("order_by names '" + clause.key() + "' twice");
            }
            seen.add(clause.key());
            orderBy(sortKey(clause.key(), clause.ascending()));
        }
        // a unique tie-breaker makes the order total, so keyset paging never skips or repeats a row
        if (!seen.contains("name")) {
            orderBy(sortKey("name", true));
        }
        if (target == Target.MODEL_VERSIONS && !seen.contains("version_number")) {
            orderBy(sortKey("version_number", false));
        }
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
