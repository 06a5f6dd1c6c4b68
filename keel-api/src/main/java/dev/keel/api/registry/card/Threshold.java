package dev.keel.api.registry.card;

import java.util.List;

/** The bound a metric must meet, declared beforehand: {@code >= 0.8}, {@code < 0.1}. */
public record Threshold(String operator, double value) {
    public static final List<String> OPERATORS = List.of(">=", ">", "<=", "<");

    /** Whether {@code measured} meets the bound; an unknown operator never holds. */
    public boolean holdsFor(double measured) {
        return switch (operator == null ? "" : operator) {
            case ">=" -> measured >= value;
            case ">" -> measured > value;
            case "<=" -> measured <= value;
            case "<" -> measured < value;
            default -> false;
        };
    }

    @Override
    public String toString() {
        return operator + " " + value;
    }
}
