package dev.keel.api.registry;

/** The registry's limits, MLflow's where MLflow has one, so both protocols refuse alike. */
public final class RegistryLimits {
    public static final int MAX_NAME_LENGTH = 256;
    public static final int MAX_DESCRIPTION_LENGTH = 5000;
    public static final int MAX_SOURCE_LENGTH = 500;
    public static final int MAX_RUN_LINK_LENGTH = 500;
    public static final int MAX_TAGS = 100;
    public static final int MODELS_SEARCH_DEFAULT = 100;
    public static final int MODELS_SEARCH_MAX = 1000;
    public static final int VERSIONS_SEARCH_DEFAULT = 10_000;
    public static final int VERSIONS_SEARCH_MAX = 200_000;
    public static final int FILTER_MAX_LENGTH = 10_000;
    /** A version holds at most this many files: a model, not a data lake. */
    public static final int MAX_FILES = 10_000;

    private RegistryLimits() {
    }
}
