package dev.keel.governance.access;

import dev.keel.store.TestDatabases;
import dev.keel.store.TestDatabases.TestDatabase;

import java.nio.file.Path;

class SqliteAccessControlTest extends AccessControlContract {

    @Override
    protected TestDatabase openDatabase(Path dir) {
        return TestDatabases.sqlite(dir);
    }
}
