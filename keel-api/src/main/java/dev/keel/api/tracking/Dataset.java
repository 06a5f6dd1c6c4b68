package dev.keel.api.tracking;

import dev.keel.core.Checks;

/**
 * A reference to data a run used: its name and digest identify it within an experiment, its
 * source says where it came from. Schema and profile are optional JSON documents, kept as text.
 * The limits are MLflow's, so both protocols refuse the same datasets.
 */
public record Dataset(String name, String digest, String sourceType, String source, String schema, String profile) {
    public static final int MAX_NAME_LENGTH = 500;
    public static final int MAX_DIGEST_LENGTH = 36;
    public static final int MAX_SOURCE_TYPE_LENGTH = 36;
    public static final int MAX_SOURCE_LENGTH = 65_535;
    public static final int MAX_SCHEMA_LENGTH = 1_048_575;
    public static final int MAX_PROFILE_LENGTH = 16_777_215;

    public Dataset {
        Checks.requireText("dataset name", name, MAX_NAME_LENGTH);
        Checks.requireText("dataset '" + name + "' digest", digest, MAX_DIGEST_LENGTH);
        Checks.requireText("dataset '" + name + "' source_type", sourceType, MAX_SOURCE_TYPE_LENGTH);
        Checks.requireNonNull("dataset '" + name + "' source", source);
        Checks.requireMaxLength("dataset '" + name + "' source", source, MAX_SOURCE_LENGTH);
        Checks.requireMaxLength("dataset '" + name + "' schema", schema, MAX_SCHEMA_LENGTH);
        Checks.requireMaxLength("dataset '" + name + "' profile", profile, MAX_PROFILE_LENGTH);
    }
}
