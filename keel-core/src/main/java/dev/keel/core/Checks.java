package dev.keel.core;

import java.util.Collection;
import java.util.regex.Pattern;

/** Argument checks that fail with a 400 naming the field, so bad input never gets deeper. */
public final class Checks {
    private static final Pattern KEY = Pattern.compile("^[/\\w.\\- ]*$");

    private Checks() {
    }

    public static <T> T requireNonNull(String field, T value) {
        if (value == null) {
            throw KeelException.invalid("missing value for required parameter '" + field + "'");
        }
        return value;
    }

    public static String requireNonBlank(String field, String value) {
        if (value == null || value.isBlank()) {
            throw KeelException.invalid("missing value for required parameter '" + field + "'");
        }
        return value;
    }

    public static String requireMaxLength(String field, String value, int max) {
        if (value != null && value.length() > max) {
            throw KeelException.invalid("'" + field + "' is " + value.length()
                    + " characters long; at most " + max + " are allowed");
        }
        return value;
    }

    public static <T extends Collection<?>> T requireMaxSize(String field, T values, int max) {
        if (values != null && values.size() > max) {
            throw KeelException.invalid("'" + field + "' holds " + values.size()
                    + " items; at most " + max + " are allowed");
        }
        return values;
    }

    /**
     * A metric, param or tag key: at most 250 characters of letters, digits, '_', '-', '.',
     * ' ' and '/', and unchanged by path normalisation (no "..", no leading '/'), as MLflow
     * requires, because keys become file paths in MLflow's own file store.
     */
    public static String requireValidKey(String field, String key) {
        requireNonBlank(field, key);
        requireMaxLength(field, key, 250);
        if (!KEY.matcher(key).matches()) {
            throw KeelException.invalid("invalid " + field + " '" + key
                    + "': names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), and slashes (/)");
        }
        if (key.startsWith("/") || key.equals("..") || key.startsWith("../") || key.endsWith("/..")
                || key.contains("/../") || key.contains("//") || key.equals(".") || key.startsWith("./")
                || key.endsWith("/.") || key.contains("/./")) {
            throw KeelException.invalid("invalid " + field + " '" + key
                    + "': names may not be absolute or contain '.' or '..' path segments");
        }
        return key;
    }
}
