package dev.keel.cli.output;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How values read in a table cell: short numbers, local times, no noise. */
public final class Cells {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneId.systemDefault());

    private Cells() {
    }

    /** At most four decimals, trailing zeros dropped; very large or small values in scientific notation. */
    public static String number(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        double magnitude = Math.abs(value);
        if (magnitude != 0 && (magnitude >= 1e9 || magnitude < 1e-4)) {
            return String.format(Locale.ROOT, "%.3e", value);
        }
        String fixed = String.format(Locale.ROOT, "%.4f", value);
        String trimmed = new BigDecimal(fixed).stripTrailingZeros().toPlainString();
        return trimmed.equals("-0") ? "0" : trimmed;
    }

    /** Epoch milliseconds as local time; empty for "not yet". */
    public static String time(Long epochMillis) {
        return epochMillis == null ? "" : TIME.format(Instant.ofEpochMilli(epochMillis));
    }

    /** A value cut to {@code max} characters, so one long tag cannot stretch a whole table. */
    public static String shorten(String value, int max) {
        if (value == null) {
            return "";
        }
        String single = value.replace('\n', ' ').replace('\r', ' ');
        return single.length() <= max ? single : single.substring(0, max - 3) + "...";
    }
}
