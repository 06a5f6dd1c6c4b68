package dev.keel.server;

import dev.keel.store.TestDatabases.Kind;

/** Approvals over HTTP on SQLite. */
class RemoteSqliteApprovalsTest extends RemoteApprovalsContract {
    @Override
    protected Kind kind() {
        return Kind.SQLITE;
    }
}
