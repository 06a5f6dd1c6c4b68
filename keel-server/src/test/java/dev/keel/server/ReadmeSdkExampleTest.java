package dev.keel.server;

import dev.keel.api.Keel;
import dev.keel.api.tracking.Experiment;
import dev.keel.api.tracking.LogBatch;
import dev.keel.api.tracking.Metric;
import dev.keel.api.tracking.NewExperiment;
import dev.keel.api.tracking.NewRun;
import dev.keel.api.tracking.Run;
import dev.keel.client.KeelClient;
import dev.keel.core.Actor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's SDK example, run as written against a real server; the README must still say what runs here. */
class ReadmeSdkExampleTest {
    /** The example's lines, as the README's Java block holds them (the URL is the one thing this test changes). */
    private static final List<String> EXAMPLE = List.of(
            "Keel keel = KeelClient.connect(URI.create(\"http://127.0.0.1:5005\"));        // or KeelClient.connect(url, token)",
            "Experiment churn = keel.tracking().createExperiment(Actor.LOCAL, NewExperiment.named(\"churn\"));",
            "Run run = keel.tracking().createRun(Actor.LOCAL, NewRun.in(churn.experimentId()));",
            "keel.tracking().logBatch(Actor.LOCAL, run.info().runId(), LogBatch.ofMetrics(List.of(new Metric(\"auc\", 0.91, "
                    + "System.currentTimeMillis(), 0))));");

    @Test
    void the_readme_shows_the_example_this_test_runs() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        assertThat(EXAMPLE).allSatisfy(line -> assertThat(readme).contains(line));
    }

    @Test
    void the_readme_example_logs_a_metric_through_the_sdk() {
        try (TestServer server = TestServer.start()) {
            Keel keel = KeelClient.connect(URI.create(server.server.uri().toString()));
            Experiment churn = keel.tracking().createExperiment(Actor.LOCAL, NewExperiment.named("churn"));
            Run run = keel.tracking().createRun(Actor.LOCAL, NewRun.in(churn.experimentId()));
            keel.tracking().logBatch(Actor.LOCAL, run.info().runId(), LogBatch.ofMetrics(List.of(new Metric("auc", 0.91,
                    System.currentTimeMillis(), 0))));

            assertThat(server.platform.tracking().getRun(Actor.LOCAL, run.info().runId()).data().metrics())
                    .extracting(Metric::key, Metric::value).containsExactly(org.assertj.core.groups.Tuple.tuple("auc", 0.91));
        }
    }
}
