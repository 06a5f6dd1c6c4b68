package dev.keel.registry;

import dev.keel.api.registry.RegistryService;
import dev.keel.api.tracking.TrackingService;
import dev.keel.core.Ids;
import dev.keel.store.LocalArtifactStore;
import dev.keel.store.TestDatabases;
import dev.keel.tracking.EmbeddedTrackingService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Random;

/** The contract on the embedded service over PostgreSQL (skipped without {@code KEEL_TEST_POSTGRES_URL}). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddedPostgresRegistryTest extends RegistryContract {
    private TestDatabases.TestDatabase database;
    private LocalArtifactStore artifacts;
    private TrackingService tracking;
    private RegistryService registry;

    @BeforeAll
    void open() throws IOException {
        Path dir = Files.createTempDirectory("keel-registry-postgres");
        database = TestDatabases.postgres();
        artifacts = new LocalArtifactStore(dir.resolve("artifacts"));
        tracking = EmbeddedTrackingService.open(database.database(), artifacts, Clock.systemUTC(), new Ids(new Random(13)));
        registry = EmbeddedRegistryService.open(database.database(), artifacts, tracking, Clock.systemUTC());
    }

    @AfterAll
    void close() {
        if (database != null) {
            database.close();
        }
    }

    @Override
    protected RegistryService registry() {
        return registry;
    }

    @Override
    protected TrackingService tracking() {
        return tracking;
    }

    @Override
    protected void corruptBlob(String sha256) throws IOException {
        Blobs.corrupt(artifacts, sha256);
    }
}
