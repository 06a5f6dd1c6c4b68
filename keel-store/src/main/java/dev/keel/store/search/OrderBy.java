package dev.keel.store.search;

/** One order-by clause, such as {@code metrics.auc DESC}. Attribute keys are canonical names. */
public record OrderBy(EntityType entity, String key, boolean ascending) {
}
