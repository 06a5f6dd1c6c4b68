package dev.keel.api.registry;

import dev.keel.core.Checks;

/** A named pointer ("champion") from a registered model to one of its versions. */
public record Alias(String alias, long version) {
    public Alias {
        AliasName.requireValid(alias);
        Checks.requirePositive("version", version);
    }
}
