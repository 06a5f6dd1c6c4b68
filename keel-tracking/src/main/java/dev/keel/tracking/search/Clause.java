package dev.keel.tracking.search;

/**
 * One comparison of a filter, such as {@code metrics.auc > 0.8}. For attributes, {@code key} is
 * the canonical attribute name ({@code run_id}, {@code run_name}, {@code user_id}, {@code status},
 * {@code artifact_uri}, {@code start_time}, {@code end_time}, {@code lifecycle_stage}); aliases
 * such as {@code created} are resolved by the parser.
 */
public record Clause(EntityType entity, String key, Comparator comparator, FilterValue value) {
}
