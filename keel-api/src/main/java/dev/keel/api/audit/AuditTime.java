package dev.keel.api.audit;

import dev.keel.core.Checks;
import dev.keel.core.KeelException;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * A point in the trail's history as an auditor writes it: an instant
 * ({@code 2026-01-31T12:00:00Z}), a UTC date ({@code 2026-01-31}) or epoch milliseconds. One
 * reading for the CLI's {@code --since} and the REST API's {@code since}, so both accept the same.
 */
public final class AuditTime {
    private AuditTime() {
    }

    /** Epoch milliseconds; a 400 naming {@code field} for anything else. */
    public static long parse(String field, String text) {
        Checks.requireNonBlank(field, text);
        String value = text.strip();
        if (value.matches("\\d{1,15}")) {
            return Long.parseLong(value);
        }
        if (value.length() <= 64) {
            try {
                return Instant.parse(value).toEpochMilli();
            } catch (DateTimeParseException | ArithmeticException notInstant) {
                try {
                    return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
                } catch (DateTimeParseException | ArithmeticException notDate) {
                    // answered below
                }
            }
        }
        throw KeelException.invalid("'" + field + "' must be an instant such as 2026-01-31T12:00:00Z, a date such as"
                + " 2026-01-31, or epoch milliseconds (got '" + (value.length() > 64 ? value.substring(0, 64) + "…" : value)
                + "')");
    }
}
