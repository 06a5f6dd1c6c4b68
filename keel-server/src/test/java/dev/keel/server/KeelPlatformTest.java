package dev.keel.server;

import dev.keel.api.tracking.NewExperiment;
import dev.keel.core.Actor;
import dev.keel.core.KeelConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class KeelPlatformTest {

    @Test
    void an_embedded_keel_lives_in_its_home_and_keeps_its_data(@TempDir Path home) {
        KeelConfig config = new KeelConfig(home, null, null, null, 0);
        try (KeelPlatform platform = KeelPlatform.open(config)) {
            platform.tracking().createExperiment(Actor.LOCAL, NewExperiment.named("kept"));
            assertThat(platform.location()).contains("sqlite").contains("keel.db");
        }
        assertThat(Files.exists(config.sqliteFile())).isTrue();
        try (KeelPlatform reopened = KeelPlatform.open(config)) {
            assertThat(reopened.tracking().getExperimentByName(Actor.LOCAL, "kept").name()).isEqualTo("kept");
        }
    }

    @Test
    void a_store_url_chooses_the_database(@TempDir Path home) {
        Path elsewhere = home.resolve("elsewhere.db");
        KeelConfig config = new KeelConfig(home, "jdbc:sqlite:" + elsewhere, home.resolve("blobs"), null, 0);
        try (KeelPlatform platform = KeelPlatform.open(config)) {
            platform.tracking().createExperiment(Actor.LOCAL, NewExperiment.named("there"));
            assertThat(platform.artifactsDescription()).contains("blobs");
        }
        assertThat(Files.exists(elsewhere)).isTrue();
        assertThat(Files.exists(config.sqliteFile())).isFalse();
    }
}
