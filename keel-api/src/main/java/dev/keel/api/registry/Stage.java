package dev.keel.api.registry;

import dev.keel.core.Checks;
import dev.keel.core.KeelException;

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
        return Checks.named(values(), Stage::wireName, value).orElseThrow(() -> KeelException.invalid("invalid stage '"
                + value + "'; expected one of " + Checks.listed(values(), Stage::wireName)));
    }

    @Override
    public String toString() {
        return wireName;
    }
}
