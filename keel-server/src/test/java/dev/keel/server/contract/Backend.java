package dev.keel.server.contract;

import dev.keel.store.TestDatabases.Kind;

/**
 * Where a contract suite runs: the embedded platform on SQLite or PostgreSQL, or the SDK over
 * HTTP to a real server on either. PostgreSQL runs when {@code KEEL_TEST_POSTGRES_URL} names a
 * server and is skipped otherwise (a failure with {@code KEEL_TEST_REQUIRE_SERVICES=1}).
 */
public enum Backend {
    SQLITE(Kind.SQLITE, false),
    POSTGRESQL(Kind.POSTGRESQL, false),
    HTTP_SQLITE(Kind.SQLITE, true),
    HTTP_POSTGRESQL(Kind.POSTGRESQL, true);

    private final Kind database;
    private final boolean http;

    Backend(Kind database, boolean http) {
        this.database = database;
        this.http = http;
    }

    public Kind database() {
        return database;
    }

    /** Whether calls go through the SDK and a real server rather than to the services in this process. */
    public boolean http() {
        return http;
    }
}
