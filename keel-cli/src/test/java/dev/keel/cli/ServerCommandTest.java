package dev.keel.cli;

import dev.keel.api.Tag;
import dev.keel.api.registry.NewRegisteredModel;
import dev.keel.core.Actor;
import dev.keel.server.KeelPlatform;
import dev.keel.serving.batching.BatchingOptions;
import dev.keel.serving.runtime.ModelKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.keel.cli.CommandLineRun.keel;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code keel server --batch-size --batch-delay}: the flags become the micro-batching of every
 * model version the server runs, and a version's tags override them both ways.
 */
class ServerCommandTest {
    @TempDir
    Path home;
    @TempDir
    Path models;

    private static final ModelKey UNTAGGED = new ModelKey("credit", 1);
    private static final ModelKey TAGGED_OFF = new ModelKey("credit", 2);
    private static final ModelKey TAGGED_32 = new ModelKey("credit", 3);

    @BeforeEach
    void register() throws IOException {
        Path directory = Files.createDirectories(models.resolve("credit-model"));
        try (OutputStream out = Files.newOutputStream(directory.resolve("model.tribuo"))) {
            ServeCommandTest.train().serializeToStream(out);
        }
        try (KeelPlatform platform = open()) {
            platform.registry().createRegisteredModel(Actor.LOCAL, NewRegisteredModel.named("credit"));
            platform.registry().createModelVersionFromDirectory(Actor.LOCAL, "credit", directory, null, List.of());
            platform.registry().createModelVersionFromDirectory(Actor.LOCAL, "credit", directory, null,
                    List.of(new Tag(BatchingOptions.SIZE_TAG, "1")));
            platform.registry().createModelVersionFromDirectory(Actor.LOCAL, "credit", directory, null,
                    List.of(new Tag(BatchingOptions.SIZE_TAG, "32")));
        }
    }

    /** The platform {@code keel server args…} runs, opened on KEEL_HOME without listening or waiting for Ctrl-C. */
    private KeelPlatform open(String... args) {
        PrintStream print = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        ServerCommand command = new ServerCommand(new Invocation(Map.of("KEEL_HOME", home.toString()), print, print,
                false));
        new CommandLine(command).parseArgs(args);
        return command.open(command.config());
    }

    @Test
    void without_flags_batching_is_off_except_for_a_version_tagged_for_it() {
        try (KeelPlatform platform = open()) {
            var inference = platform.serving().inference();
            assertThat(inference.batching(UNTAGGED).enabled()).isFalse();
            assertThat(inference.batching(TAGGED_OFF).enabled()).isFalse();
            assertThat(inference.batching(TAGGED_32)).isEqualTo(BatchingOptions.of(32, BatchingOptions.DEFAULT_DELAY));
        }
    }

    @Test
    void the_flags_are_every_versions_default_and_a_tag_overrides_them_both_ways() {
        try (KeelPlatform platform = open("--batch-size", "8", "--batch-delay", "500us")) {
            var inference = platform.serving().inference();
            Duration delay = Duration.ofNanos(500_000);
            assertThat(inference.batching(UNTAGGED)).as("the server's default").isEqualTo(BatchingOptions.of(8, delay));
            assertThat(inference.batching(TAGGED_OFF).enabled()).as("tagged 1: off although the default is on")
                    .isFalse();
            assertThat(inference.batching(TAGGED_32)).as("tagged 32, the default delay")
                    .isEqualTo(BatchingOptions.of(32, delay));
        }
    }

    @Test
    void bad_batching_flags_are_refused_naming_the_flag_before_anything_is_opened() {
        String[][] cases = {
                {"--batch-size", "0"}, {"'--batch-size' must be an integer between 1 and"},
                {"--batch-size", "5000"}, {"'--batch-size' must be an integer between 1 and"},
                {"--batch-size", "lots"}, {"--batch-size"},
                {"--batch-delay", "2s"}, {"'--batch-delay' must be at most"},
                {"--batch-delay", "-1ms"}, {"'--batch-delay' must be a duration"},
                {"--batch-delay", "soon"}, {"'--batch-delay' must be a duration"},
        };
        Path fresh = home.resolve("fresh");
        for (int i = 0; i < cases.length; i += 2) {
            String[] args = {"server", "--port", "0", cases[i][0], cases[i][1]};
            CommandLineRun run = keel(Map.of("KEEL_HOME", fresh.toString()), args);
            assertThat(run.exitCode()).as(String.join(" ", args) + "\n" + run).isEqualTo(ExitCode.BAD_INPUT.value());
            assertThat(run.err()).as(String.join(" ", args)).contains(cases[i + 1][0]);
            assertThat(run.out()).as(String.join(" ", args)).doesNotContain("Keel is running");
        }
        assertThat(fresh.resolve("keel.db")).as("no store was opened").doesNotExist();
    }
}
