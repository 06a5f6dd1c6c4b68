package dev.keel.api.tracking;

import dev.keel.core.Checks;

/**
 * A key/value note on how a run used a dataset; {@code mlflow.data.context} (training,
 * validation, …) is the one searches know by name ({@code datasets.context}).
 */
public record InputTag(String key, String value) {
    public static final String CONTEXT = "mlflow.data.context";
    public static final int MAX_KEY_LENGTH = 255;
    public static final int MAX_VALUE_LENGTH = 500;

    public InputTag {
        Checks.requireText("input tag key", key, MAX_KEY_LENGTH);
        Checks.requireNonNull("input tag '" + key + "' value", value);
        Checks.requireMaxLength("input tag '" + key + "' value", value, MAX_VALUE_LENGTH);
    }
}
