package dev.keel.store.search;

/** What a filter or order-by clause looks at: {@code metrics.x}, {@code params.x}, {@code tags.x}, an attribute, a dataset. */
public enum EntityType {
    METRIC, PARAM, TAG, ATTRIBUTE, DATASET
}
