package dev.keel.store.sql;

import dev.keel.core.KeelException;
import dev.keel.store.Dialect;
import dev.keel.store.search.Comparator;
import dev.keel.store.search.FilterValue;

import java.util.List;

/**
 * The comparisons of the filter grammar as portable SQL, the same answers on SQLite and
 * PostgreSQL, for every search. A NULL column matches nothing. How literally a value is taken
 * follows MLflow's two search APIs: run and experiment searches read {@code 1} and {@code '1'}
 * alike ({@link Literals#CONVERTED}); registered model and version searches take each value as
 * written ({@link Literals#AS_WRITTEN}).
 */
public final class FilterPredicates {
    /** How a filter's values meet a column's type. */
    public enum Literals {
        /** A number may stand for a string and a numeric string for a number; one string is a list of one. */
        CONVERTED,
        /** Strings are quoted, numbers are numbers, lists are lists. */
        AS_WRITTEN
    }

    private final Dialect dialect;
    private final Literals literals;

    public FilterPredicates(Dialect dialect, Literals literals) {
        this.dialect = dialect;
        this.literals = literals;
    }

    /** A comparison of a text column. */
    public SqlText text(String column, String field, Comparator comparator, FilterValue value) {
        SqlText sql = new SqlText();
        switch (comparator) {
            case EQ -> sql.append(column).append(" = ").bind(string(field, value));
            case NEQ -> sql.append(column).append(" <> ").bind(string(field, value));
            case LIKE -> {
                // SQLite's LIKE ignores ASCII case; its GLOB does not, as MLflow's LIKE must not
                if (dialect == Dialect.SQLITE) {
                    sql.append(column).append(" GLOB ").bind(LikePattern.toGlob(string(field, value)));
                } else {
                    sql.append(column).append(" LIKE ").bind(string(field, value)).append(" ESCAPE '\\'");
                }
            }
            case ILIKE -> sql.append("LOWER(").append(column).append(") LIKE LOWER(").bind(string(field, value))
                    .append(") ESCAPE '\\'");
            case IN, NOT_IN -> {
                List<String> values = strings(field, comparator, value);
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

    /** A comparison of a numeric column; a whole number binds as one, so integer columns compare exactly. */
    public SqlText number(String column, String field, Comparator comparator, FilterValue value) {
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
        return new SqlText().append(column).append(op).bind(wholeOrDouble(numberOf(field, value)));
    }

    private double numberOf(String field, FilterValue value) {
        if (value instanceof FilterValue.NumberValue n) {
            return n.value();
        }
        if (literals == Literals.AS_WRITTEN) {
            throw KeelException.invalid(field + " compares with a number");
        }
        if (value instanceof FilterValue.StringValue s) {
            try {
                return Double.parseDouble(s.value().trim());
            } catch (NumberFormatException e) {
                throw KeelException.invalid(field + " compares with a number, not '" + s.value() + "'");
            }
        }
        throw KeelException.invalid(field + " compares with a number, not a list");
    }

    private static Object wholeOrDouble(double number) {
        if (whole(number)) {
            return (long) number;
        }
        return number;
    }

    /** A whole number within a long's range: bound as a long (integer columns compare exactly), spelled without ".0". */
    private static boolean whole(double number) {
        return number == Math.rint(number) && Math.abs(number) < 9.0e18;
    }

    private String string(String field, FilterValue value) {
        if (value instanceof FilterValue.StringValue s) {
            return s.value();
        }
        if (literals == Literals.AS_WRITTEN) {
            throw KeelException.invalid(field + " compares with one quoted string");
        }
        if (value instanceof FilterValue.NumberValue n) {
            double d = n.value();
            return whole(d) ? Long.toString((long) d) : Double.toString(d);
        }
        throw KeelException.invalid(field + " compares with one string, not a list");
    }

    private List<String> strings(String field, Comparator comparator, FilterValue value) {
        if (value instanceof FilterValue.StringList list) {
            return list.values();
        }
        if (literals == Literals.AS_WRITTEN) {
            throw KeelException.invalid(field + " " + comparator.symbol() + " needs a list of quoted strings");
        }
        return List.of(string(field, value));
    }
}
