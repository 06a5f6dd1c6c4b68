package dev.keel.cli;

import dev.keel.api.serving.AbTest;
import dev.keel.api.serving.BlueGreen;
import dev.keel.api.serving.Shadow;
import dev.keel.api.serving.Single;
import dev.keel.api.serving.TrafficPolicy;
import dev.keel.api.serving.Variant;
import dev.keel.cli.output.Cells;
import dev.keel.core.KeelException;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What people type to {@code keel endpoints}: variants, policies, shadows, percentages and durations. */
final class EndpointInput {
    private EndpointInput() {
    }

    /** {@code NAME=MODEL_URI}. */
    static Variant variant(String text) {
        int equals = text.indexOf('=');
        if (equals <= 0 || equals == text.length() - 1) {
            throw KeelException.invalid("'--variant' must be NAME=MODEL_URI, such as blue=models:/churn/3 (got '"
                    + shorten(text) + "')");
        }
        return Variant.of(text.substring(0, equals), text.substring(equals + 1));
    }

    /** single:V | blue-green:ACTIVE,STANDBY | ab:V1=50,V2=50. */
    static TrafficPolicy policy(String text) {
        int colon = text.indexOf(':');
        String kind = colon < 0 ? text : text.substring(0, colon);
        String rest = colon < 0 ? "" : text.substring(colon + 1);
        switch (kind) {
            case "single" -> {
                return new Single(rest);
            }
            case "blue-green", "blue_green" -> {
                String[] sides = rest.split(",", -1);
                if (sides.length != 2) {
                    throw KeelException.invalid("'--policy' blue-green takes ACTIVE,STANDBY (got '" + shorten(rest) + "')");
                }
                return new BlueGreen(sides[0], sides[1], Duration.ofMinutes(10));
            }
            case "ab", "ab_test" -> {
                Map<String, Double> weights = new LinkedHashMap<>();
                for (String pair : rest.split(",", -1)) {
                    int equals = pair.indexOf('=');
                    if (equals <= 0) {
                        throw KeelException.invalid("'--policy' ab takes V1=50,V2=50 (got '" + shorten(rest) + "')");
                    }
                    weights.put(pair.substring(0, equals), number("--policy", pair.substring(equals + 1)));
                }
                return new AbTest(weights);
            }
            default -> throw KeelException.invalid("'--policy' must be single:VARIANT, blue-green:ACTIVE,STANDBY or "
                    + "ab:V1=50,V2=50 (got '" + shorten(text) + "')");
        }
    }

    /** {@code VARIANT:PERCENT}. */
    static Shadow shadow(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw KeelException.invalid("the shadow must be VARIANT:PERCENT, such as green:10, or off (got '"
                    + shorten(text) + "')");
        }
        return new Shadow(text.substring(0, colon), number("shadow percent", text.substring(colon + 1)));
    }

    static List<Double> percentages(String option, String text) {
        List<Double> values = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            values.add(number(option, part));
        }
        return values;
    }

    /** A fraction (0.01) or a percentage (1%), as a percentage. */
    static double errorPercent(String text) {
        String trimmed = text.strip();
        if (trimmed.endsWith("%")) {
            return number("--max-error-rate", trimmed.substring(0, trimmed.length() - 1));
        }
        double fraction = number("--max-error-rate", trimmed);
        if (fraction < 0 || fraction > 1) {
            throw KeelException.invalid("'--max-error-rate' must be a fraction from 0 to 1, or a percentage such as 1% "
                    + "(got '" + shorten(text) + "')");
        }
        return fraction * 100;
    }

    /** {@code 250ms}, {@code 60s}, {@code 5m}, {@code 1h}, or ISO-8601 ({@code PT1M}). */
    static Duration duration(String option, String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("pt") || t.startsWith("p")) {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            }
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            long amount = Long.parseLong(t.substring(0, Math.max(0, t.length() - 1)));
            switch (t.charAt(t.length() - 1)) {
                case 's' -> {
                    return Duration.ofSeconds(amount);
                }
                case 'm' -> {
                    return Duration.ofMinutes(amount);
                }
                case 'h' -> {
                    return Duration.ofHours(amount);
                }
                default -> {
                    // answered below
                }
            }
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            // answered below
        }
        throw KeelException.invalid("'" + option + "' must be a duration such as 250ms, 60s, 5m or 1h (got '"
                + shorten(text) + "')");
    }

    private static double number(String option, String text) {
        try {
            double value = Double.parseDouble(text.strip());
            if (Double.isFinite(value)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw KeelException.invalid("'" + option + "' needs numbers (got '" + shorten(text) + "')");
    }

    private static String shorten(String text) {
        return Cells.shorten(text, 64);
    }
}
