package dev.keel.governance.access;

import dev.keel.store.TestDatabases;
import dev.keel.store.TestDatabases.TestDatabase;

import java.nio.file.Path;

/** Skipped without {@code KEEL_TEST_POSTGRES_URL}. */
class PostgresAccessControlTest extends AccessControlContract {

    @Override
    protected TestDatabase openDatabase(Path dir) {
        return TestDatabases.postgres();
    }
}
