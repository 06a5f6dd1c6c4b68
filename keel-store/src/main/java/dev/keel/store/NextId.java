package dev.keel.store;

import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;

import java.sql.SQLException;

/**
 * The next id of a table that several servers insert into: the largest id plus one, taken by an
 * insert that does nothing when another server took that id first; then the next one is tried.
 * Numbered ids keep MLflow's shapes (experiment "1", "2"…) without a database sequence, which
 * SQLite lacks.
 */
public final class NextId {
    private static final int ATTEMPTS = 10;

    private NextId() {
    }

    /** The largest id in use plus one. */
    @FunctionalInterface
    public interface Candidate {
        long next() throws SQLException;
    }

    /** Inserts the row under {@code id}; null when the id was taken (the insert did nothing). */
    @FunctionalInterface
    public interface Insert<T> {
        T tryWith(long id) throws SQLException;
    }

    /** What {@code insert} made under the first free id; TEMPORARILY_UNAVAILABLE after ten taken ones. */
    public static <T> T claim(String what, Candidate candidate, Insert<T> insert) throws SQLException {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            T made = insert.tryWith(candidate.next());
            if (made != null) {
                return made;
            }
        }
        throw new KeelException(ErrorCode.TEMPORARILY_UNAVAILABLE, "could not allocate " + what + "; try again");
    }
}
