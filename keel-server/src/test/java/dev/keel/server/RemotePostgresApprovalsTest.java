package dev.keel.server;

import dev.keel.store.TestDatabases.Kind;

/** Approvals over HTTP on PostgreSQL (skipped without {@code KEEL_TEST_POSTGRES_URL}). */
class RemotePostgresApprovalsTest extends RemoteApprovalsContract {
    @Override
    protected Kind kind() {
        return Kind.POSTGRESQL;
    }
}
