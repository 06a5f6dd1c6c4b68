package dev.keel.api.registry;

import dev.keel.core.Checks;
import dev.keel.core.KeelException;

/** Registered model names: not blank, at most 256 characters, no '/' and no control characters. */
public final class ModelName {
    private ModelName() {
    }

    public static String requireValid(String field, String name) {
        Checks.requireText(field, name, RegistryLimits.MAX_NAME_LENGTH);
        // '/' would make "models:/<name>/<version>" ambiguous
        if (name.indexOf('/') >= 0) {
            throw KeelException.invalid("invalid " + field + " '" + name + "': a model name must not contain '/'");
        }
        for (int i = 0; i < name.length(); i++) {
            if (Character.isISOControl(name.charAt(i))) {
                throw KeelException.invalid("invalid " + field + ": a model name must not contain control characters");
            }
        }
        return name;
    }
}
