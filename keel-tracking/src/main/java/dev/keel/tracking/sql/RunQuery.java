package dev.keel.tracking.sql;

import dev.keel.api.tracking.ViewType;
import dev.keel.core.KeelException;
import dev.keel.store.Dialect;
import dev.keel.store.search.Clause;
import dev.keel.store.search.Comparator;
import dev.keel.store.search.EntityType;
import dev.keel.store.search.FilterValue;
import dev.keel.store.search.OrderBy;
import dev.keel.store.sql.FilterPredicates;
import dev.keel.store.sql.KeysetQuery;
import dev.keel.store.sql.SortKey;
import dev.keel.store.sql.SqlText;

import java.util.List;

/**
 * A run search as one SQL query. Each metric, param or tag clause is an inner join on its
 * table's primary key (a run lacking the key never matches, as in MLflow), so the planner may
 * start from whichever table narrows the search most; each order-by on them is a left join.
 * The total order always ends in {@code start_time DESC, run_id} so keyset paging is exact.
 */
public final class RunQuery extends KeysetQuery {
    static final String COLUMNS = "r.run_id, r.experiment_id, r.run_name, r.user_id, r.status, r.start_time, "
            + "r.end_time, r.artifact_uri, r.lifecycle_stage";

    private final FilterPredicates predicates;
    private int aliases;

    public RunQuery(Dialect dialect, List<Long> experimentIds, List<Clause> filter, List<OrderBy> orderBy,
                    ViewType viewType) {
        super(COLUMNS, " FROM runs r");
        this.predicates = new FilterPredicates(dialect, FilterPredicates.Literals.CONVERTED);
        where(new SqlText().append("r.experiment_id IN (").bindAll(experimentIds).append(")"));
        switch (viewType) {
            case ACTIVE_ONLY -> where("r.lifecycle_stage = 'active'");
            case DELETED_ONLY -> where("r.lifecycle_stage = 'deleted'");
            case ALL -> { }
        }
        for (OrderBy order : orderBy) {
            order(order);
        }
        if (orderBy.stream().noneMatch(o -> o.entity() == EntityType.ATTRIBUTE && o.key().equals("start_time"))) {
            orderBy(new SortKey("r.start_time", SortKey.Kind.LONG, false));
        }
        if (orderBy.stream().noneMatch(o -> o.entity() == EntityType.ATTRIBUTE && o.key().equals("run_id"))) {
            orderBy(new SortKey("r.run_id", SortKey.Kind.STRING, true));
        }
        for (Clause clause : filter) {
            filter(clause);
        }
    }

    private void filter(Clause clause) {
        String alias = "f" + aliases++;
        String field = describe(clause.entity(), clause.key());
        switch (clause.entity()) {
            case METRIC -> {
                join("JOIN", "latest_metrics", alias, "metric_key", clause.key());
                where(alias + ".is_nan = FALSE");
                where(predicates.number(alias + ".metric_value", field, clause.comparator(), clause.value()));
            }
            case PARAM -> {
                join("JOIN", "params", alias, "param_key", clause.key());
                if (clause.comparator() == Comparator.EQ && clause.value() instanceof FilterValue.StringValue value) {
                    // the same expression as the index params_by_key, so the planner can start there
                    where(new SqlText().append("substr(").append(alias).append(".param_value, 1, 200) = substr(")
                            .bind(value.value()).append(", 1, 200)"));
                }
                where(predicates.text(alias + ".param_value", field, clause.comparator(), clause.value()));
            }
            case TAG -> {
                join("JOIN", "run_tags", alias, "tag_key", clause.key());
                where(predicates.text(alias + ".tag_value", field, clause.comparator(), clause.value()));
            }
            case ATTRIBUTE -> {
                Attribute attribute = Attribute.of(clause.key());
                where(attribute.numeric
                        ? predicates.number(attribute.column, field, clause.comparator(), clause.value())
                        : predicates.text(attribute.column, field, clause.comparator(), clause.value()));
            }
            case DATASET -> where(DatasetClauses.exists(predicates, clause));
        }
    }

    private void order(OrderBy order) {
        String alias = "o" + aliases++;
        switch (order.entity()) {
            case METRIC -> {
                join("LEFT JOIN", "latest_metrics", alias, "metric_key", order.key());
                orderBy(new SortKey("CASE WHEN " + alias + ".run_id IS NULL OR " + alias + ".is_nan THEN 1 ELSE 0 END",
                        SortKey.Kind.LONG, true));
                orderBy(new SortKey("COALESCE(" + alias + ".metric_value, 0)", SortKey.Kind.DOUBLE, order.ascending()));
            }
            case PARAM -> {
                join("LEFT JOIN", "params", alias, "param_key", order.key());
                nullable(alias + ".param_value", SortKey.Kind.STRING, order.ascending());
            }
            case TAG -> {
                join("LEFT JOIN", "run_tags", alias, "tag_key", order.key());
                nullable(alias + ".tag_value", SortKey.Kind.STRING, order.ascending());
            }
            case ATTRIBUTE -> {
                Attribute attribute = Attribute.of(order.key());
                SortKey.Kind kind = attribute.numeric ? SortKey.Kind.LONG : SortKey.Kind.STRING;
                if (attribute.nullable) {
                    nullable(attribute.column, kind, order.ascending());
                } else {
                    orderBy(new SortKey(attribute.column, kind, order.ascending()));
                }
            }
            case DATASET -> throw KeelException.invalid("runs cannot be ordered by datasets");
        }
    }

    private void nullable(String column, SortKey.Kind kind, boolean ascending) {
        orderBy(new SortKey("CASE WHEN " + column + " IS NULL THEN 1 ELSE 0 END", SortKey.Kind.LONG, true));
        orderBy(new SortKey("COALESCE(" + column + ", " + (kind == SortKey.Kind.STRING ? "''" : "0") + ")",
                kind, ascending));
    }

    private void join(String kind, String table, String alias, String keyColumn, String key) {
        from().append(" ").append(kind).append(" ").append(table).append(" ").append(alias)
                .append(" ON ").append(alias).append(".run_id = r.run_id AND ")
                .append(alias).append(".").append(keyColumn).append(" = ").bind(key);
    }

    private static String describe(EntityType entity, String key) {
        return switch (entity) {
            case METRIC -> "metric '" + key + "'";
            case PARAM -> "param '" + key + "'";
            case TAG -> "tag '" + key + "'";
            case ATTRIBUTE -> "attribute '" + key + "'";
            case DATASET -> "dataset '" + key + "'";
        };
    }

    /** The run columns a filter or order-by may name. */
    private enum Attribute {
        RUN_ID("r.run_id", false, false),
        RUN_NAME("r.run_name", false, false),
        USER_ID("r.user_id", false, true),
        STATUS("r.status", false, false),
        ARTIFACT_URI("r.artifact_uri", false, false),
        LIFECYCLE_STAGE("r.lifecycle_stage", false, false),
        EXPERIMENT_ID("r.experiment_id", true, false),
        START_TIME("r.start_time", true, false),
        END_TIME("r.end_time", true, true);

        final String column;
        final boolean numeric;
        final boolean nullable;

        Attribute(String column, boolean numeric, boolean nullable) {
            this.column = column;
            this.numeric = numeric;
            this.nullable = nullable;
        }

        static Attribute of(String key) {
            for (Attribute attribute : values()) {
                if (attribute.name().equalsIgnoreCase(key)) {
                    return attribute;
                }
            }
            throw KeelException.invalid("'" + key + "' is not a run attribute; use run_id, run_name, user_id, status, "
                    + "artifact_uri, start_time or end_time");
        }
    }
}
