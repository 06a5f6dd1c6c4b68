package dev.keel.api.tracking;

/** The limits MLflow enforces, enforced the same way so both protocols answer alike. */
public final class Limits {
    public static final int MAX_KEY_LENGTH = 250;
    public static final int MAX_PARAM_VALUE_LENGTH = 6000;
    public static final int MAX_TAG_VALUE_LENGTH = 5000;
    public static final int MAX_EXPERIMENT_NAME_LENGTH = 500;
    public static final int MAX_RUN_NAME_LENGTH = 250;
    public static final int MAX_ARTIFACT_LOCATION_LENGTH = 2048;
    public static final int BATCH_MAX_METRICS = 1000;
    public static final int BATCH_MAX_PARAMS = 100;
    public static final int BATCH_MAX_TAGS = 100;
    public static final int BATCH_MAX_ITEMS = 1000;
    public static final int RUNS_SEARCH_DEFAULT = 1000;
    public static final int RUNS_SEARCH_MAX = 50_000;
    public static final int EXPERIMENTS_SEARCH_DEFAULT = 1000;
    public static final int EXPERIMENTS_SEARCH_MAX = 50_000;
    public static final int METRIC_HISTORY_MAX = 1_000_000;
    public static final int FILTER_MAX_LENGTH = 10_000;

    private Limits() {
    }
}
