package dev.keel.api.registry;

import dev.keel.core.KeelException;

import java.util.Arrays;
import java.util.stream.Collectors;

/** MLflow's model version stages, spelled as MLflow spells them on the wire. */
public enum Stage {
    NONE("None"),
    STAGING("Staging"),
    PRODUCTION("Production"),
    ARCHIVED("Archived");

    private final String wireName;

    Stage(String wireName) {
        this.wireName = wireName;
    }

    /** "None", "Staging", "Production" or "Archived". */
    public String wireName() {
        return wireName;
    }

    /** Case-insensitive, as MLflow's server accepts "production"; unknown → 400 naming the allowed stages. */
    public static Stage parse(String value) {
        if (value != null) {
            for (Stage stage : values()) {
                if (stage.wireName.equalsIgnoreCase(value.trim())) {
                    return stage;
                }
            }
        }
        throw KeelException.invalid("invalid stage '" + value + "'; expected one of "
                + Arrays.stream(values()).map(Stage::wireName).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return wireName;
    }
}
