package dev.keel.store.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * SQL built piece by piece with its bind values kept beside it, in the order their
 * placeholders appear, so a query assembled from clauses can never bind out of step.
 */
public final class SqlText {
    /** A null of a given {@link Types} type. */
    private record TypedNull(int sqlType) {
    }

    private static final TypedNull BIGINT_NULL = new TypedNull(Types.BIGINT);

    private final StringBuilder sql = new StringBuilder();
    private final List<Object> args = new ArrayList<>();

    public SqlText append(String text) {
        sql.append(text);
        return this;
    }

    /**
     * Appends one placeholder bound to {@code value} (a String, Long, Integer, Double, Boolean,
     * null, or a {@link #nullableBigint} for an integer column that may be null).
     */
    public SqlText bind(Object value) {
        sql.append('?');
        args.add(value);
        return this;
    }

    public SqlText bindAll(List<?> values) {
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sql.append(", ");
            }
            bind(values.get(i));
        }
        return this;
    }

    public SqlText append(SqlText other) {
        sql.append(other.sql);
        args.addAll(other.args);
        return this;
    }

    public boolean isEmpty() {
        return sql.isEmpty();
    }

    public PreparedStatement prepare(Connection connection) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql.toString());
        try {
            for (int i = 0; i < args.size(); i++) {
                set(statement, i + 1, args.get(i));
            }
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
        return statement;
    }

    /**
     * {@code value} to bind to an integer column, or a null typed BIGINT when there is none: a
     * plain null binds as text, which PostgreSQL refuses for an integer column.
     */
    public static Object nullableBigint(Long value) {
        return value == null ? BIGINT_NULL : value;
    }

    public static void set(PreparedStatement statement, int index, Object value) throws SQLException {
        if (value instanceof String s) {
            statement.setString(index, s);
        } else if (value instanceof Long l) {
            statement.setLong(index, l);
        } else if (value instanceof Integer i) {
            statement.setLong(index, i);
        } else if (value instanceof Double d) {
            statement.setDouble(index, d);
        } else if (value instanceof Boolean b) {
            statement.setBoolean(index, b);
        } else if (value == null) {
            statement.setNull(index, Types.VARCHAR);
        } else if (value instanceof TypedNull typed) {
            statement.setNull(index, typed.sqlType());
        } else {
            throw new IllegalArgumentException("cannot bind " + value);
        }
    }

    @Override
    public String toString() {
        return sql.toString();
    }
}
