package dev.keel.api.http;

import dev.keel.core.KeelException;

import java.time.Duration;
import java.time.Instant;

/** The few conversions and checks the wire shapes share: times as epoch milliseconds, durations, quoted input. */
final class WireValues {
    private WireValues() {
    }

    static Long millis(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }

    static Instant instant(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }

    static Duration requirePositiveMillis(String field, long millis) {
        if (millis <= 0) {
            throw KeelException.invalid("'" + field + "' must be above 0 (got " + millis + ")");
        }
        return Duration.ofMillis(millis);
    }

    static long requireNonNegative(String field, long value) {
        if (value < 0) {
            throw KeelException.invalid("'" + field + "' must be 0 or more (got " + value + ")");
        }
        return value;
    }

    /** Input quoted back in a message, cut at 64 characters. */
    static String abbreviate(String value) {
        return value.length() <= 64 ? value : value.substring(0, 64) + "…";
    }
}
