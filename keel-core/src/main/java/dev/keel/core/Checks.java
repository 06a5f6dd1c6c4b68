package dev.keel.core;

import java.util.Arrays;
import java.util.Collection;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Argument checks that fail with a 400 naming the field, so bad input never gets deeper. */
public final class Checks {
    private Checks() {
    }

    /** Letters and digits (as Python's {@code \w}: Unicode included), '_', '-', '.', ' ' and '/'. */
    private static boolean isKeyCharacter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '_' || c == '-' || c == '.' || c == ' ' || c == '/'
                || (c > 127 && Character.isLetterOrDigit(c));
    }

    /** Whether a '/'-separated key has a "." or ".." segment (path normalisation would change it). */
    private static boolean hasDotSegment(String key) {
        if (key.indexOf('.') < 0) {
            return false;
        }
        for (String segment : key.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return true;
            }
        }
        return false;
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

    /** A count or number that starts at 1 (a version, a request id). */
    public static long requirePositive(String field, long value) {
        if (value < 1) {
            throw KeelException.invalid("'" + field + "' must be a positive integer (got " + value + ")");
        }
        return value;
    }

    /** A required piece of text: not blank and at most {@code max} characters. */
    public static String requireText(String field, String value, int max) {
        return requireMaxLength(field, requireNonBlank(field, value), max);
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
        requireText(field, key, 250);
        // a hand-written scan, not a regex: this runs for every metric point read or written
        for (int i = 0; i < key.length(); i++) {
            if (!isKeyCharacter(key.charAt(i))) {
                throw KeelException.invalid("invalid " + field + " '" + key
                        + "': names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), and slashes (/)");
            }
        }
        if (key.charAt(0) == '/' || key.contains("//") || hasDotSegment(key)) {
            throw KeelException.invalid("invalid " + field + " '" + key
                    + "': names may not be absolute or contain '.' or '..' path segments");
        }
        return key;
    }

    /**
     * The one of {@code values} whose name ({@code nameOf}) is {@code text}, ignoring case and
     * surrounding space; empty when none is (or {@code text} is null). What every "one of these
     * names" field reads with, each answering a miss in its own words.
     */
    public static <E> Optional<E> named(E[] values, Function<E, String> nameOf, String text) {
        if (text != null) {
            String wanted = text.strip();
            for (E value : values) {
                if (nameOf.apply(value).equalsIgnoreCase(wanted)) {
                    return Optional.of(value);
                }
            }
        }
        return Optional.empty();
    }

    /** The names of {@code values}, joined by ", ", for a message listing what is allowed. */
    public static <E> String listed(E[] values, Function<E, String> nameOf) {
        return Arrays.stream(values).map(nameOf).collect(Collectors.joining(", "));
    }
}
