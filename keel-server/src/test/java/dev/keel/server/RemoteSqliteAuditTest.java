package dev.keel.server;

import dev.keel.store.TestDatabases.Kind;

/** The audit trail over HTTP on SQLite. */
class RemoteSqliteAuditTest extends RemoteAuditContract {
    @Override
    protected Kind kind() {
        return Kind.SQLITE;
    }
}
