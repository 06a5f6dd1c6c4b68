package dev.keel.server;

import dev.keel.store.TestDatabases.Kind;

/** Searches filter by permission on PostgreSQL (skipped without {@code KEEL_TEST_POSTGRES_URL}). */
class PostgresSearchVisibilityTest extends SearchVisibilityContract {
    @Override
    protected Kind kind() {
        return Kind.POSTGRESQL;
    }
}
