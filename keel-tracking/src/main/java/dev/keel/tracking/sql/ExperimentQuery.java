package dev.keel.tracking.sql;

import dev.keel.api.tracking.ViewType;
import dev.keel.core.KeelException;
import dev.keel.core.Visibility;
import dev.keel.store.Dialect;
import dev.keel.store.search.Clause;
import dev.keel.store.search.EntityType;
import dev.keel.store.search.OrderBy;
import dev.keel.store.sql.FilterPredicates;
import dev.keel.store.sql.KeysetQuery;
import dev.keel.store.sql.SortKey;
import dev.keel.store.sql.VisibleRows;

import java.util.List;
import java.util.Objects;

/**
 * An experiment search as one SQL query: tag clauses join {@code experiment_tags}; the order
 * defaults to {@code creation_time DESC} and always ends in {@code experiment_id}, as MLflow's.
 * Experiments the caller may not read are left out by the query itself, so a page is full when
 * enough visible experiments match.
 */
public final class ExperimentQuery extends KeysetQuery {
    static final String COLUMNS = "e.experiment_id, e.name, e.artifact_location, e.lifecycle_stage, "
            + "e.creation_time, e.last_update_time";

    private final FilterPredicates predicates;
    private int aliases;

    public ExperimentQuery(Dialect dialect, List<Clause> filter, List<OrderBy> orderBy, ViewType viewType,
                           Visibility visibility) {
        super(COLUMNS, " FROM experiments e");
        this.predicates = new FilterPredicates(dialect, FilterPredicates.Literals.CONVERTED);
        switch (viewType) {
            case ACTIVE_ONLY -> where("e.lifecycle_stage = 'active'");
            case DELETED_ONLY -> where("e.lifecycle_stage = 'deleted'");
            case ALL -> { }
        }
        if (!(Objects.requireNonNull(visibility, "visibility") instanceof Visibility.All)) {
            where(VisibleRows.condition(dialect, "e.experiment_id", VisibleRows.Ids.INTEGER, visibility));
        }
        if (orderBy.isEmpty()) {
            orderBy(new SortKey("e.creation_time", SortKey.Kind.LONG, false));
        }
        for (OrderBy order : orderBy) {
            if (order.entity() != EntityType.ATTRIBUTE) {
                throw KeelException.invalid("experiments can only be ordered by name, experiment_id, creation_time "
                        + "or last_update_time");
            }
            Attribute attribute = Attribute.of(order.key());
            orderBy(new SortKey(attribute.column, attribute.numeric ? SortKey.Kind.LONG : SortKey.Kind.STRING,
                    order.ascending()));
        }
        if (!ordersBy("e.experiment_id")) {
            orderBy(new SortKey("e.experiment_id", SortKey.Kind.LONG, true));
        }
        for (Clause clause : filter) {
            filter(clause);
        }
    }

    private void filter(Clause clause) {
        switch (clause.entity()) {
            case TAG -> {
                String alias = "t" + aliases++;
                from().append(" JOIN experiment_tags ").append(alias).append(" ON ").append(alias)
                        .append(".experiment_id = e.experiment_id AND ").append(alias).append(".tag_key = ").bind(clause.key());
                where(predicates.text(alias + ".tag_value", "tag '" + clause.key() + "'", clause.comparator(),
                        clause.value()));
            }
            case ATTRIBUTE -> {
                Attribute attribute = Attribute.of(clause.key());
                String field = "attribute '" + clause.key() + "'";
                where(attribute.numeric
                        ? predicates.number(attribute.column, field, clause.comparator(), clause.value())
                        : predicates.text(attribute.column, field, clause.comparator(), clause.value()));
            }
            default -> throw KeelException.invalid("experiments can only be filtered by name, experiment_id, "
                    + "creation_time, last_update_time and tags");
        }
    }

    /** The experiment columns a filter or order-by may name. */
    private enum Attribute {
        NAME("e.name", false),
        EXPERIMENT_ID("e.experiment_id", true),
        CREATION_TIME("e.creation_time", true),
        LAST_UPDATE_TIME("e.last_update_time", true),
        LIFECYCLE_STAGE("e.lifecycle_stage", false);

        final String column;
        final boolean numeric;

        Attribute(String column, boolean numeric) {
            this.column = column;
            this.numeric = numeric;
        }

        static Attribute of(String key) {
            for (Attribute attribute : values()) {
                if (attribute.name().equalsIgnoreCase(key)) {
                    return attribute;
                }
            }
            throw KeelException.invalid("'" + key + "' is not an experiment attribute; use name, experiment_id, "
                    + "creation_time or last_update_time");
        }
    }
}
