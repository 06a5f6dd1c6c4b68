package dev.keel.tracking.sql;

import dev.keel.api.tracking.ViewType;
import dev.keel.core.KeelException;
import dev.keel.core.Visibility;
import dev.keel.store.Dialect;
import dev.keel.store.sql.SortKey;
import dev.keel.store.sql.SqlText;
import dev.keel.store.sql.VisibleRows;
import dev.keel.tracking.search.Clause;
import dev.keel.tracking.search.EntityType;
import dev.keel.tracking.search.OrderBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An experiment search as one SQL query: tag clauses join {@code experiment_tags}; the order
 * defaults to {@code creation_time DESC} and always ends in {@code experiment_id}, as MLflow's.
 * Experiments the caller may not read are left out by the query itself, so a page is full when
 * enough visible experiments match.
 */
public final class ExperimentQuery {
    static final String COLUMNS = "e.experiment_id, e.name, e.artifact_location, e.lifecycle_stage, "
            + "e.creation_time, e.last_update_time";

    private final SqlText from = new SqlText().append(" FROM experiments e");
    private final SqlText where = new SqlText().append(" WHERE 1 = 1");
    private final List<SortKey> sortKeys = new ArrayList<>();
    private final Predicates predicates;
    private int aliases;

    public ExperimentQuery(Dialect dialect, List<Clause> filter, List<OrderBy> orderBy, ViewType viewType,
                           Visibility visibility) {
        this.predicates = new Predicates(dialect);
        switch (viewType) {
            case ACTIVE_ONLY -> where.append(" AND e.lifecycle_stage = 'active'");
            case DELETED_ONLY -> where.append(" AND e.lifecycle_stage = 'deleted'");
            case ALL -> { }
        }
        if (!(Objects.requireNonNull(visibility, "visibility") instanceof Visibility.All)) {
            where.append(" AND ").append(VisibleRows.condition(dialect, "e.experiment_id", VisibleRows.Ids.INTEGER,
                    visibility));
        }
        if (orderBy.isEmpty()) {
            sortKeys.add(new SortKey("e.creation_time", SortKey.Kind.LONG, false));
        }
        for (OrderBy order : orderBy) {
            if (order.entity() != EntityType.ATTRIBUTE) {
                throw KeelException.invalid("experiments can only be ordered by name, experiment_id, creation_time "
                        + "or last_update_time");
            }
            Attribute attribute = Attribute.of(order.key());
            sortKeys.add(new SortKey(attribute.column, attribute.numeric ? SortKey.Kind.LONG : SortKey.Kind.STRING,
                    order.ascending()));
        }
        if (sortKeys.stream().noneMatch(k -> k.expression().equals("e.experiment_id"))) {
            sortKeys.add(new SortKey("e.experiment_id", SortKey.Kind.LONG, true));
        }
        for (Clause clause : filter) {
            filter(clause);
        }
    }

    public List<SortKey> sortKeys() {
        return List.copyOf(sortKeys);
    }

    SqlText select(List<Object> after, int limit) {
        SqlText sql = new SqlText().append("SELECT ").append(COLUMNS);
        for (int i = 0; i < sortKeys.size(); i++) {
            sql.append(", ").append(sortKeys.get(i).expression()).append(" AS s").append(Integer.toString(i));
        }
        sql.append(from).append(where);
        if (after != null) {
            sql.append(" AND ").append(Keyset.after(sortKeys, after));
        }
        sql.append(" ORDER BY ");
        for (int i = 0; i < sortKeys.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("s").append(Integer.toString(i))
                    .append(sortKeys.get(i).ascending() ? " ASC" : " DESC");
        }
        return sql.append(" LIMIT ").bind((long) limit);
    }

    private void filter(Clause clause) {
        switch (clause.entity()) {
            case TAG -> {
                String alias = "t" + aliases++;
                from.append(" JOIN experiment_tags ").append(alias).append(" ON ").append(alias)
                        .append(".experiment_id = e.experiment_id AND ").append(alias).append(".tag_key = ").bind(clause.key());
                where.append(" AND ").append(predicates.text(alias + ".tag_value", "tag '" + clause.key() + "'",
                        clause.comparator(), clause.value()));
            }
            case ATTRIBUTE -> {
                Attribute attribute = Attribute.of(clause.key());
                String field = "attribute '" + clause.key() + "'";
                where.append(" AND ").append(attribute.numeric
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
