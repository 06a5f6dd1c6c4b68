package dev.keel.store.search;

/**
 * One comparison of a filter, such as {@code metrics.auc > 0.8}. For attributes, {@code key} is
 * the canonical attribute name (runs: {@code run_id}, {@code run_name}, {@code user_id},
 * {@code status}, {@code artifact_uri}, {@code start_time}, {@code end_time}; experiments:
 * {@code name}, {@code creation_time}, {@code last_update_time}); aliases such as {@code created}
 * are resolved by the parser, and {@code lifecycle_stage} is refused (the view type chooses it).
 * For datasets the key is {@code name}, {@code digest} or {@code context}. The value's type fits
 * the comparison: a number for metrics and time attributes, a string list for IN and NOT IN
 * (never empty), a string otherwise.
 */
public record Clause(EntityType entity, String key, Comparator comparator, FilterValue value) {
}
