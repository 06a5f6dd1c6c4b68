package dev.keel.governance.audit;

import dev.keel.store.TestDatabases;
import dev.keel.store.TestDatabases.TestDatabase;

import java.nio.file.Path;

/** The audit trail on SQLite, where one writer thread orders every append. */
class SqliteAuditTrailTest extends AuditTrailContract {

    @Override
    protected TestDatabase openDatabase(Path dir) {
        return TestDatabases.sqlite(dir);
    }

    @Override
    protected int bulkEvents() {
        return 100_000;
    }
}
