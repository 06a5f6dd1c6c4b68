package dev.keel.registry.approval;

import dev.keel.store.Database;
import dev.keel.store.TestDatabases;

import java.nio.file.Path;

/** Approvals on PostgreSQL (skipped without {@code KEEL_TEST_POSTGRES_URL}). */
class PostgresApprovalTest extends ApprovalContract {
    private TestDatabases.TestDatabase test;

    @Override
    protected Database open(Path dir) {
        test = TestDatabases.postgres();
        return test.database();
    }

    @Override
    protected void close(Database database) {
        test.close();
    }
}
