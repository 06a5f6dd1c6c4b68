package dev.keel.registry.approval;

import dev.keel.store.Database;
import dev.keel.store.TestDatabases;

import java.nio.file.Path;

/** Approvals on SQLite. */
class SqliteApprovalTest extends ApprovalContract {
    private TestDatabases.TestDatabase test;

    @Override
    protected Database open(Path dir) {
        test = TestDatabases.sqlite(dir);
        return test.database();
    }

    @Override
    protected void close(Database database) {
        test.close();
    }
}
