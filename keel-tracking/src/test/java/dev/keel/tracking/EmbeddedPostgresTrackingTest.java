package dev.keel.tracking;

import dev.keel.api.tracking.TrackingService;
import dev.keel.core.Ids;
import dev.keel.store.LocalArtifactStore;
import dev.keel.store.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Random;

/** The contract on the embedded service over PostgreSQL (skipped without {@code KEEL_TEST_POSTGRES_URL}). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddedPostgresTrackingTest extends TrackingContract {
    private Path dir;
    private TestDatabases.TestDatabase database;
    private TrackingService tracking;

    @BeforeAll
    void open(@TempDir Path dir) {
        this.dir = dir;
        database = TestDatabases.postgres();
        tracking = EmbeddedTrackingService.open(database.database(), new LocalArtifactStore(dir.resolve("artifacts")),
                Clock.systemUTC(), new Ids(new Random(11)));
    }

    @AfterAll
    void close() {
        if (database != null) {
            database.close();
        }
    }

    @Override
    protected TrackingService tracking() {
        return tracking;
    }
}
