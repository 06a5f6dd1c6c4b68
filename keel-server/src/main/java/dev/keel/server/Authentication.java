package dev.keel.server;

import dev.keel.core.Checks;
import dev.keel.core.Permission;

/**
 * Whether callers must sign in, and what a user holds on an experiment or model nobody granted
 * them anything on. Off for a local start: one operator, no passwords.
 */
public record Authentication(boolean required, Permission defaultPermission) {
    public static final Authentication OFF = new Authentication(false, Permission.READ);

    public Authentication {
        Checks.requireNonNull("default_permission", defaultPermission);
    }

    /** Sign-in required; users hold READ where nothing was granted. */
    public static Authentication on() {
        return new Authentication(true, Permission.READ);
    }

    public Authentication withDefaultPermission(Permission permission) {
        return new Authentication(required, permission);
    }
}
