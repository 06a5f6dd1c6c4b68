package dev.keel.store;

import java.sql.SQLException;
import java.util.Set;

/**
 * Whether a failed transaction may succeed when run again: the database says another
 * transaction got in the way, not that this one is wrong.
 */
final class RetryableFailure {
    /** PostgreSQL: unique violation (another server inserted the key first), serialization failure, deadlock. */
    private static final Set<String> SQL_STATES = Set.of("23505", "40001", "40P01");
    /** SQLite's primary result codes: SQLITE_BUSY (another process holds the lock), SQLITE_LOCKED. */
    private static final Set<Integer> SQLITE_BUSY = Set.of(5, 6);
    /** SQLite's extended codes for a unique or primary key that another process inserted first. */
    private static final Set<Integer> SQLITE_UNIQUE = Set.of(2067, 1555);

    private RetryableFailure() {
    }

    static boolean of(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                for (SQLException next = sql; next != null; next = next.getNextException()) {
                    if (retryable(next)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static boolean retryable(SQLException e) {
        if (e.getSQLState() != null && SQL_STATES.contains(e.getSQLState())) {
            return true;
        }
        int code = e.getErrorCode();
        return SQLITE_UNIQUE.contains(code) || (e.getClass().getName().startsWith("org.sqlite.")
                && SQLITE_BUSY.contains(code & 0xff));
    }
}
