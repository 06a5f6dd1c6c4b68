package dev.keel.registry;

import dev.keel.api.registry.NewRegisteredModel;
import dev.keel.api.registry.RegistryService;
import dev.keel.api.tracking.TrackingService;
import dev.keel.core.Actor;
import dev.keel.core.Ids;
import dev.keel.store.Database;
import dev.keel.store.LocalArtifactStore;
import dev.keel.store.TestDatabases;
import dev.keel.tracking.EmbeddedTrackingService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The contract on the embedded service over SQLite, plus what only the embedded service shows. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddedSqliteRegistryTest extends RegistryContract {
    private Path dir;
    private TestDatabases.TestDatabase database;
    private LocalArtifactStore artifacts;
    private TrackingService tracking;
    private RegistryService registry;

    @BeforeAll
    void open() throws IOException {
        dir = Files.createTempDirectory("keel-registry-sqlite");
        database = TestDatabases.sqlite(dir);
        artifacts = new LocalArtifactStore(dir.resolve("artifacts"));
        tracking = EmbeddedTrackingService.open(database.database(), artifacts, Clock.systemUTC(), new Ids(new Random(5)));
        registry = EmbeddedRegistryService.open(database.database(), artifacts, tracking, Clock.systemUTC());
    }

    @AfterAll
    void close() {
        database.close();
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

    @Test
    void opening_again_keeps_the_models() {
        Database db = Database.sqlite(dir.resolve("reopened.db"));
        try (db) {
            TrackingService tracking = EmbeddedTrackingService.open(db, artifacts, Clock.systemUTC(), Ids.secure());
            EmbeddedRegistryService.open(db, artifacts, tracking, Clock.systemUTC())
                    .createRegisteredModel(Actor.LOCAL, NewRegisteredModel.named("kept"));
            RegistryService second = EmbeddedRegistryService.open(db, artifacts, tracking, Clock.systemUTC());

            assertThat(second.getRegisteredModel(Actor.LOCAL, "kept").owner()).isEqualTo(Actor.LOCAL.name());
        }
    }
}
