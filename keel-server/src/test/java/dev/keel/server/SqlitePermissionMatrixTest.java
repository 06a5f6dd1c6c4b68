package dev.keel.server;

import dev.keel.store.TestDatabases.Kind;

/** The permission matrix on SQLite. */
class SqlitePermissionMatrixTest extends PermissionMatrixContract {
    @Override
    protected Kind kind() {
        return Kind.SQLITE;
    }
}
