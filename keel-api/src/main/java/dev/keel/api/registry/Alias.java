package dev.keel.api.registry;

/** A named pointer ("champion") from a registered model to one of its versions. */
public record Alias(String alias, long version) {
    public Alias {
        AliasName.requireValid(alias);
        if (version < 1) {
            throw dev.keel.core.KeelException.invalid("'version' must be a positive integer (got " + version + ")");
        }
    }
}
