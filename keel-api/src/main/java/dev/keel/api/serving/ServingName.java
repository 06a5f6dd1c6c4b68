package dev.keel.api.serving;

import dev.keel.core.Checks;
import dev.keel.core.KeelException;

/**
 * Endpoint and variant names: 1 to 63 characters of ASCII letters, digits, '.', '_' and '-',
 * starting with a letter or digit. They appear in URL paths, response headers, metric labels
 * and (later) Kubernetes object names, so they stay within what all of those accept unescaped.
 */
public final class ServingName {
    public static final int MAX_LENGTH = 63;

    private ServingName() {
    }

    public static String requireValid(String field, String name) {
        Checks.requireText(field, name, MAX_LENGTH);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean alphanumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alphanumeric && (i == 0 || (c != '.' && c != '_' && c != '-'))) {
                throw KeelException.invalid("invalid " + field + " '" + printable(name) + "': a name has letters, digits,"
                        + " '.', '_' and '-', and starts with a letter or digit");
            }
        }
        return name;
    }

    /** The name as it may be echoed in a message: control characters would forge log lines. */
    public static String printable(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), 80));
        for (int i = 0; i < text.length() && i < 80; i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        return text.length() > 80 ? out + "…" : out.toString();
    }
}
