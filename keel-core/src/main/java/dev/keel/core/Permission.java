package dev.keel.core;

/**
 * A user's permission on one experiment or registered model, as MLflow grades it: each level
 * includes the ones below. READ sees it; USE also loads a model's files; EDIT changes it (runs,
 * metrics, versions, tags, stages); MANAGE also deletes it and grants permissions on it.
 */
public enum Permission {
    NO_PERMISSIONS,
    READ,
    USE,
    EDIT,
    MANAGE;

    /** Whether holding this permission is enough for an action that needs {@code needed}. */
    public boolean allows(Permission needed) {
        return compareTo(needed) >= 0;
    }

    /** A permission from its name in any case, or a 400 naming the field. */
    public static Permission parse(String field, String name) {
        Checks.requireNonBlank(field, name);
        return Checks.named(values(), Enum::name, name).orElseThrow(() -> KeelException.invalid(
                "'" + field + "' must be one of NO_PERMISSIONS, READ, USE, EDIT, MANAGE (got '" + name + "')"));
    }
}
