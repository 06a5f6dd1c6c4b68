package dev.keel.server;

import dev.keel.store.TestDatabases.Kind;

/** Searches filter by permission on SQLite. */
class SqliteSearchVisibilityTest extends SearchVisibilityContract {
    @Override
    protected Kind kind() {
        return Kind.SQLITE;
    }
}
