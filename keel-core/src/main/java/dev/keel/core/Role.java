package dev.keel.core;

/**
 * What a user may do across Keel, beyond the permissions granted on single resources. Admins
 * pass every check; approvers may decide on approval requests; members create experiments and
 * models; viewers only read.
 */
public enum Role {
    ADMIN,
    APPROVER,
    MEMBER,
    VIEWER;

    /** A role from its name in any case, or a 400 naming the field. */
    public static Role parse(String field, String name) {
        Checks.requireNonBlank(field, name);
        return Checks.named(values(), Enum::name, name).orElseThrow(() -> KeelException.invalid(
                "'" + field + "' must be one of admin, approver, member, viewer (got '" + name + "')"));
    }
}
