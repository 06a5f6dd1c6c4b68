package dev.keel.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** {@code keel bench serving}: bad arguments are refused naming what is known; a short real run prints its figures. */
class BenchCommandTest {

    static Stream<Arguments> refusals() {
        return Stream.of(
                arguments("an unknown suite is refused naming the known ones", List.of("bench", "servng"),
                        List.of("'servng'", "serving, models, batching")),
                arguments("an unknown load is refused naming the known ones", List.of("bench", "serving", "--only", "oip 1,oip 2"),
                        List.of("'oip 2'", "floor 1, oip 1, invocations 1")),
                arguments("an unknown batching model is refused naming the known ones",
                        List.of("bench", "batching", "--model", "resnet"), List.of("'resnet'", "lr, mlp, all")),
                arguments("seconds below one are refused", List.of("bench", "serving", "--seconds", "0"),
                        List.of("'--seconds'")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void refusals(String what, List<String> args, List<String> inError) {
        CommandLineRun run = CommandLineRun.keel(Map.of(), args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains(inError);
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
