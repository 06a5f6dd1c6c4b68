package dev.keel.store;

/** The two SQL databases Keel runs on. The SQL stays portable; the few differences live here. */
public enum Dialect {
    SQLITE,
    POSTGRESQL;

    /** SQLite allows one writer at a time; Keel serializes writes in-process instead of retrying. */
    public boolean singleWriter() {
        return this == SQLITE;
    }

    /** The largest number of bind parameters one statement may carry. */
    public int maxBindParameters() {
        return this == SQLITE ? 32_766 : 65_535;
    }
}
