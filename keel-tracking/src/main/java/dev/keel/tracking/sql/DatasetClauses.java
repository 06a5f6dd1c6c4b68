package dev.keel.tracking.sql;

import dev.keel.api.tracking.InputTag;
import dev.keel.store.search.Clause;
import dev.keel.store.sql.FilterPredicates;
import dev.keel.store.sql.SqlText;

/**
 * A {@code datasets.name}, {@code datasets.digest} or {@code datasets.context} clause: the run
 * matches when at least one of its inputs does, as in MLflow. Each clause is its own EXISTS, so
 * two clauses may be met by two different inputs of the run.
 */
final class DatasetClauses {
    private DatasetClauses() {
    }

    static SqlText exists(FilterPredicates predicates, Clause clause) {
        String field = "dataset " + clause.key();
        SqlText sql = new SqlText();
        return switch (clause.key()) {
            case "name", "digest" -> sql.append("EXISTS (SELECT 1 FROM run_inputs ri JOIN datasets d ON d.dataset_id = "
                            + "ri.dataset_id WHERE ri.run_id = r.run_id AND ")
                    .append(predicates.text("d." + clause.key(), field, clause.comparator(), clause.value())).append(")");
            case "context" -> sql.append("EXISTS (SELECT 1 FROM run_input_tags rt WHERE rt.run_id = r.run_id AND "
                            + "rt.tag_key = ").bind(InputTag.CONTEXT).append(" AND ")
                    .append(predicates.text("rt.tag_value", field, clause.comparator(), clause.value())).append(")");
            default -> throw new IllegalArgumentException("the grammar let through dataset field '" + clause.key() + "'");
        };
    }
}
