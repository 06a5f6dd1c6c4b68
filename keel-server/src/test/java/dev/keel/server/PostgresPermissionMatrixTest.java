package dev.keel.server;

import dev.keel.store.TestDatabases.Kind;

/** The permission matrix on PostgreSQL (skipped without {@code KEEL_TEST_POSTGRES_URL}). */
class PostgresPermissionMatrixTest extends PermissionMatrixContract {
    @Override
    protected Kind kind() {
        return Kind.POSTGRESQL;
    }
}
