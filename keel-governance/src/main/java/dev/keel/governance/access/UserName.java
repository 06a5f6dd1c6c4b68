package dev.keel.governance.access;

import dev.keel.core.Checks;
import dev.keel.core.KeelException;

/** What a user name may be: it appears in HTTP Basic credentials and audit resource paths. */
final class UserName {
    private UserName() {
    }

    static String requireValid(String name) {
        Checks.requireText("name", name, 256);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-' || c == '@')) {
                throw KeelException.invalid("user 'name' may hold letters, digits and . _ - @ only (got '" + name + "')");
            }
        }
        return name;
    }
}
