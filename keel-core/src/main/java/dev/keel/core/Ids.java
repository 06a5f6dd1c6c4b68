package dev.keel.core;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.random.RandomGenerator;

/** Identifier shapes shared with MLflow, so the protocol adapter needs no id mapping. */
public final class Ids {
    private static final HexFormat HEX = HexFormat.of();

    private final RandomGenerator random;

    public Ids(RandomGenerator random) {
        this.random = random;
    }

    /** Unpredictable ids for production; tests pass a seeded generator instead. */
    public static Ids secure() {
        return new Ids(new SecureRandom());
    }

    /** A run id: 32 lowercase hex characters. */
    public String newRunId() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return HEX.formatHex(bytes);
    }

    public static boolean isRunId(String value) {
        if (value == null || value.length() != 32) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    /** An experiment id: a string of digits ("0" is the default experiment). */
    public static boolean isExperimentId(String value) {
        if (value == null || value.isEmpty() || value.length() > 18) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            if (!Character.isDigit(value.charAt(i)) || value.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    public static String requireRunId(String field, String value) {
        Checks.requireNonBlank(field, value);
        if (!isRunId(value)) {
            throw KeelException.invalid("'" + field + "' must be 32 lowercase hex characters (got '"
                    + abbreviate(value) + "')");
        }
        return value;
    }

    public static String requireExperimentId(String field, String value) {
        Checks.requireNonBlank(field, value);
        if (!isExperimentId(value)) {
            throw KeelException.invalid("'" + field + "' must be a string of digits (got '"
                    + abbreviate(value) + "')");
        }
        return value;
    }

    private static String abbreviate(String value) {
        return value.length() <= 64 ? value : value.substring(0, 64) + "…";
    }
}
