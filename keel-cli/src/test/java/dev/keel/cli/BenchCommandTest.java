package dev.keel.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code keel bench serving}: bad arguments are refused naming what is known; a short real run prints its figures. */
class BenchCommandTest {

    @Test
    void anUnknownSuiteIsRefusedNamingTheKnownOnes() {
        CommandLineRun run = CommandLineRun.keel(Map.of(), "bench", "servng");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("'servng'").contains("serving, models, batching");
    }

    @Test
    void anUnknownLoadIsRefusedNamingTheKnownOnes() {
        CommandLineRun run = CommandLineRun.keel(Map.of(), "bench", "serving", "--only", "oip 1,oip 2");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("'oip 2'").contains("floor 1, oip 1, invocations 1");
    }

    @Test
    void anUnknownBatchingModelIsRefusedNamingTheKnownOnes() {
        CommandLineRun run = CommandLineRun.keel(Map.of(), "bench", "batching", "--model", "resnet");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("'resnet'").contains("lr, mlp, all");
    }

    @Test
    void secondsBelowOneAreRefused() {
        CommandLineRun run = CommandLineRun.keel(Map.of(), "bench", "serving", "--seconds", "0");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("'--seconds'");
    }

    @Test
    void oneShortLoadThroughKeelPrintsItsFiguresBesideTheTarget() {
        boolean wrk = Arrays.stream(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, "wrk")));
        assumeTrue(wrk, "wrk is not installed");
        CommandLineRun run = CommandLineRun.keel(Map.of(), "bench", "serving", "--only", "oip 1", "--seconds", "1");
        // the figures depend on the machine: only that the run completed and judged them
        assertThat(run.exitCode()).as(run.toString()).isIn(0, 3);
        assertThat(run.out()).contains("OIP V2, 1 row, 8 connections (requests/s)").contains("≥ 15,000")
                .contains("server allocation per request, OIP V2, 1 row (KB)").doesNotContain("floor 100");
    }
}
