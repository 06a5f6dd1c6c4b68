package dev.keel.tracking;

import dev.keel.api.tracking.Metric;
import dev.keel.api.tracking.NewExperiment;
import dev.keel.api.tracking.NewRun;
import dev.keel.api.tracking.TrackingService;
import dev.keel.core.Actor;
import dev.keel.core.Ids;
import dev.keel.store.Database;
import dev.keel.store.LocalArtifactStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What only the embedded service shows, on SQLite: reopening a store, the seeded id source, the
 * latest-point rule. (The tracking contract itself runs on every backend in keel-server.)
 */
class EmbeddedTrackingTest {
    @TempDir
    Path dir;

    @Test
    void opening_again_keeps_the_data_and_the_one_default_experiment() {
        Database db = Database.sqlite(dir.resolve("reopened.db"));
        try (db) {
            LocalArtifactStore artifacts = new LocalArtifactStore(dir.resolve("reopened"));
            TrackingService first = EmbeddedTrackingService.open(db, artifacts, Clock.systemUTC(), Ids.secure());
            first.createExperiment(Actor.LOCAL, NewExperiment.named("kept"));
            TrackingService second = EmbeddedTrackingService.open(db, artifacts, Clock.systemUTC(), Ids.secure());

            assertThat(second.getExperimentByName(Actor.LOCAL, "kept").experimentId()).isEqualTo("1");
            assertThat(second.getExperiment(Actor.LOCAL, "0").name()).isEqualTo("Default");
        }
    }

    @Test
    void generated_run_names_follow_the_seeded_id_source() {
        Database db = Database.sqlite(dir.resolve("names.db"));
        try (db) {
            LocalArtifactStore artifacts = new LocalArtifactStore(dir.resolve("names"));
            TrackingService service = EmbeddedTrackingService.open(db, artifacts, Clock.systemUTC(), new Ids(new Random(1)));
            String name = service.createRun(Actor.LOCAL, NewRun.in("0")).info().runName();
            String expected = RunNames.forRunId(new Ids(new Random(1)).newRunId());

            assertThat(name).isEqualTo(expected).matches("[a-z]+-[a-z]+-[0-9]{1,3}");
        }
    }

    @Test
    void latest_points_prefer_step_then_time_then_value_then_the_later_write() {
        List<Metric> latest = LatestPoints.of(List.of(new Metric("a", 5, 10, 1), new Metric("a", 1, 5, 2),
                new Metric("b", 1, 5, 0), new Metric("b", 2, 5, 0), new Metric("c", Double.NaN, 5, 0), new Metric("c", 0, 5, 0)));
        assertThat(latest).containsExactly(new Metric("a", 1, 5, 2), new Metric("b", 2, 5, 0), new Metric("c", 0, 5, 0));
    }
}
