package dev.keel.tracking.sql;

import dev.keel.store.sql.SqlText;
import dev.keel.store.sql.LikePattern;
import dev.keel.core.KeelException;
import dev.keel.store.Dialect;
import dev.keel.tracking.search.Comparator;
import dev.keel.tracking.search.FilterValue;

import java.util.List;

/** Comparisons of the filter grammar as portable SQL, the same answers on SQLite and PostgreSQL. */
final class Predicates {
    private final Dialect dialect;

    Predicates(Dialect dialect) {
        this.dialect = dialect;
    }

    /** A comparison of a text column; a NULL column matches nothing. */
    SqlText text(String column, String field, Comparator comparator, FilterValue value) {
        SqlText sql = new SqlText();
        switch (comparator) {
            case EQ -> sql.append(column).append(" = ").bind(string(field, value));
            case NEQ -> sql.append(column).append(" <> ").bind(string(field, value));
            case LIKE -> {
                if (dialect == Dialect.SQLITE) {
                    sql.append(column).append(" GLOB ").bind(LikePattern.toGlob(string(field, value)));
                } else {
                    sql.append(column).append(" LIKE ").bind(string(field, value)).append(" ESCAPE '\\'");
                }
            }
            case ILIKE -> sql.append("LOWER(").append(column).append(") LIKE LOWER(").bind(string(field, value))
                    .append(") ESCAPE '\\'");
            case IN, NOT_IN -> {
                List<String> values = strings(field, value);
                if (values.isEmpty()) {
                    return sql.append(comparator == Comparator.IN ? "1 = 0" : column + " IS NOT NULL");
                }
                sql.append(column).append(comparator == Comparator.IN ? " IN (" : " NOT IN (").bindAll(values).append(")");
            }
            default -> throw KeelException.invalid("'" + comparator.symbol() + "' cannot compare " + field
                    + "; use =, !=, LIKE or ILIKE");
        }
        return sql;
    }

    /** A comparison of a numeric column; a NULL column matches nothing. */
    SqlText number(String column, String field, Comparator comparator, FilterValue value) {
        String op = switch (comparator) {
            case EQ -> " = ";
            case NEQ -> " <> ";
            case GT -> " > ";
            case GE -> " >= ";
            case LT -> " < ";
            case LE -> " <= ";
            default -> throw KeelException.invalid("'" + comparator.symbol() + "' cannot compare " + field
                    + "; use =, !=, >, >=, < or <=");
        };
        return new SqlText().append(column).append(op).bind(number(field, value));
    }

    /** A whole number where one is given, so integer columns compare exactly; else a double. */
    static Object number(String field, FilterValue value) {
        double number;
        if (value instanceof FilterValue.NumberValue n) {
            number = n.value();
        } else if (value instanceof FilterValue.StringValue s) {
            try {
                number = Double.parseDouble(s.value().trim());
            } catch (NumberFormatException e) {
                throw KeelException.invalid(field + " compares with a number, not '" + s.value() + "'");
            }
        } else {
            throw KeelException.invalid(field + " compares with a number, not a list");
        }
        if (number == Math.rint(number) && Math.abs(number) < 9.0e18) {
            return (long) number;
        }
        return number;
    }

    static String string(String field, FilterValue value) {
        if (value instanceof FilterValue.StringValue s) {
            return s.value();
        }
        if (value instanceof FilterValue.NumberValue n) {
            double d = n.value();
            return d == Math.rint(d) && Math.abs(d) < 9.0e18 ? Long.toString((long) d) : Double.toString(d);
        }
        throw KeelException.invalid(field + " compares with one string, not a list");
    }

    static List<String> strings(String field, FilterValue value) {
        if (value instanceof FilterValue.StringList list) {
            return list.values();
        }
        return List.of(string(field, value));
    }
}
