package dev.keel.governance.audit;

import dev.keel.store.TestDatabases;
import dev.keel.store.TestDatabases.TestDatabase;

import java.nio.file.Path;

/**
 * The audit trail on PostgreSQL, where concurrent transactions queue on the chain head's row
 * lock (skipped without {@code KEEL_TEST_POSTGRES_URL}).
 */
class PostgresAuditTrailTest extends AuditTrailContract {

    @Override
    protected TestDatabase openDatabase(Path dir) {
        return TestDatabases.postgres();
    }

    @Override
    protected int bulkEvents() {
        // every append is three round trips to the server; the 100,000-event replay runs on SQLite
        return 20_000;
    }
}
