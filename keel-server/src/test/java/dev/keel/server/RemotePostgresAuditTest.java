package dev.keel.server;

import dev.keel.store.TestDatabases.Kind;

/** The audit trail over HTTP on PostgreSQL (skipped without {@code KEEL_TEST_POSTGRES_URL}). */
class RemotePostgresAuditTest extends RemoteAuditContract {
    @Override
    protected Kind kind() {
        return Kind.POSTGRESQL;
    }
}
