package dev.keel.registry;

import dev.keel.api.registry.NewRegisteredModel;
import dev.keel.api.registry.RegistryService;
import dev.keel.api.tracking.TrackingService;
import dev.keel.core.Actor;
import dev.keel.core.Ids;
import dev.keel.store.Database;
import dev.keel.store.LocalArtifactStore;
import dev.keel.tracking.EmbeddedTrackingService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

/** What only the embedded service shows, on SQLite: a reopened store keeps its models. (The registry contract runs on every backend in keel-server.) */
class EmbeddedRegistryTest {
    @TempDir
    Path dir;

    @Test
    void opening_again_keeps_the_models() {
        Database db = Database.sqlite(dir.resolve("reopened.db"));
        LocalArtifactStore artifacts = new LocalArtifactStore(dir.resolve("artifacts"));
        try (db) {
            TrackingService tracking = EmbeddedTrackingService.open(db, artifacts, Clock.systemUTC(), Ids.secure());
            EmbeddedRegistryService.open(db, artifacts, tracking, Clock.systemUTC())
                    .createRegisteredModel(Actor.LOCAL, NewRegisteredModel.named("kept"));
            RegistryService second = EmbeddedRegistryService.open(db, artifacts, tracking, Clock.systemUTC());

            assertThat(second.getRegisteredModel(Actor.LOCAL, "kept").owner()).isEqualTo(Actor.LOCAL.name());
        }
    }
}
