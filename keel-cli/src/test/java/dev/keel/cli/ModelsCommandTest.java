package dev.keel.cli;

import dev.keel.api.tracking.LogBatch;
import dev.keel.api.tracking.Metric;
import dev.keel.api.tracking.Param;
import dev.keel.api.tracking.TrackingService;
import dev.keel.core.Actor;
import dev.keel.core.KeelConfig;
import dev.keel.server.KeelPlatform;
import dev.keel.server.KeelServer;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.keel.cli.LocalHome.env;
import static dev.keel.cli.CommandLineRun.keel;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code keel models …} in this JVM, embedded on SQLite in a temporary KEEL_HOME, on a real trained model. */
class ModelsCommandTest {
    private static final Actor ALICE = new Actor("alice");

    @TempDir
    Path home;

    /** A finished run in KEEL_HOME holding a one-epoch Tribuo model under model/, with a param and an auc; returns its id. */
    private String runWithModel() {
        try (KeelPlatform platform = LocalHome.open(home)) {
            return runWithModel(platform.tracking());
        }
    }

    private static String runWithModel(TrackingService tracking) {
        TrainedRuns.TrainedRun run = TrainedRuns.runWithModel(tracking, ALICE, "models-cli");
        tracking.logBatch(ALICE, run.runId(), new LogBatch(
                List.of(new Metric("auc", run.trained().evaluation().auc(), 1_000, 1)),
                List.of(new Param("learning_rate", "0.05")), List.of()));
        return run.runId();
    }

    @Test
    void a_runs_model_is_registered_then_listed_and_shown() {
        String runId = runWithModel();

        CommandLineRun registered = keel(env(home), "models", "register", "churn", "--run", runId, "--path", "model",
                "--risk-tier", "high");

        assertThat(registered.exitCode()).as(registered.toString()).isZero();
        assertThat(registered.out()).contains("registered new model 'churn' version 1", "runs:/" + runId + "/model", "tribuo");
        CommandLineRun again = keel(env(home), "models", "register", "churn", "--run", runId);
        assertThat(again.out()).as(again.toString()).contains("registered model 'churn' version 2");

        CommandLineRun listed = keel(env(home), "models", "list");
        assertThat(listed.exitCode()).as(listed.toString()).isZero();
        assertThat(listed.out()).contains("NAME", "churn", "high");

        CommandLineRun shown = keel(env(home), "models", "get", "churn");
        assertThat(shown.exitCode()).as(shown.toString()).isZero();
        assertThat(shown.out()).contains("VERSION", "tribuo", runId);

        JsonNode model = keel(env(home), "models", "get", "churn", "--json").json();
        assertThat(model.get("risk_tier").asText()).isEqualTo("high");
        assertThat(model.get("versions")).hasSize(2);
        assertThat(model.get("versions").get(0).get("files").get(0).get("sha256").asText()).hasSize(64);
        assertThat(keel(env(home), "models", "list", "--json").json()).hasSize(1);
    }

    @Test
    void the_card_of_a_version_prints_as_markdown_json_and_html() throws IOException {
        String runId = runWithModel();
        keel(env(home), "models", "register", "churn", "--run", runId);

        CommandLineRun markdown = keel(env(home), "models", "card", "churn", "1");
        assertThat(markdown.exitCode()).as(markdown.toString()).isZero();
        assertThat(markdown.out()).startsWith("# Model card: churn version 1").contains("Draft prefilled by Keel",
                "## Intended use", "| learning_rate | 0.05 |", "### Signature");

        JsonNode json = keel(env(home), "models", "card", "churn", "1", "--format", "json").json();
        assertThat(json.get("draft").asBoolean()).isTrue();
        assertThat(json.get("model_details").get("name").asText()).isEqualTo("churn");
        assertThat(json.get("model_parameters").get("flavor").asText()).isEqualTo("tribuo");
        assertThat(json.get("metrics").get(0).get("metric").asText()).isEqualTo("auc");

        Path file = home.resolve("card.html");
        CommandLineRun html = keel(env(home), "models", "card", "churn", "1", "--format", "HTML", "--output", file.toString());
        assertThat(html.exitCode()).as(html.toString()).isZero();
        assertThat(html.out()).isEmpty();
        assertThat(html.err()).contains("wrote the draft model card of 'churn' version 1 to " + file);
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).startsWith("<!DOCTYPE html>")
                .contains("<h1>Model card: churn version 1</h1>");
    }

    @Test
    void bad_model_commands_exit_with_2_and_say_why() {
        String runId = runWithModel();
        keel(env(home), "models", "register", "churn", "--run", runId);

        CommandLineRun format = keel(env(home), "models", "card", "churn", "1", "--format", "pdf");
        assertThat(format.exitCode()).isEqualTo(2);
        assertThat(format.err()).startsWith("error: ").contains("'--format'", "markdown, html, json");

        CommandLineRun version = keel(env(home), "models", "card", "churn", "9");
        assertThat(version.exitCode()).isEqualTo(2);
        assertThat(version.err()).contains("version 9");

        CommandLineRun output = keel(env(home), "models", "card", "churn", "1", "--output", home.resolve("absent/card.md").toString());
        assertThat(output.exitCode()).isEqualTo(2);
        assertThat(output.err()).contains("'--output'");

        CommandLineRun run = keel(env(home), "models", "register", "churn", "--run", "not-a-run");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--run");

        CommandLineRun unknown = keel(env(home), "models", "get", "absent");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("'absent'");
    }

    @Test
    void with_keel_url_models_are_registered_and_their_cards_read_over_http(@TempDir Path serverHome) {
        try (KeelPlatform platform = KeelPlatform.open(new KeelConfig(serverHome, null, null, "127.0.0.1", 0));
             KeelServer server = KeelServer.start(platform, "127.0.0.1", 0)) {
            String runId = runWithModel(platform.tracking());
            Map<String, String> remote = Map.of("KEEL_URL", server.uri().toString(), "KEEL_HOME", home.toString());

            CommandLineRun registered = keel(remote, "models", "register", "remote-churn", "--run", runId);
            assertThat(registered.exitCode()).as(registered.toString()).isZero();
            JsonNode card = keel(remote, "models", "card", "remote-churn", "1", "--format", "json").json();

            assertThat(card.get("model_details").get("name").asText()).isEqualTo("remote-churn");
            assertThat(card.get("model_parameters").get("hyperparameters").get("learning_rate").asText()).isEqualTo("0.05");
            assertThat(platform.registry().getModelVersion(Actor.LOCAL, "remote-churn", 1).runId()).isEqualTo(runId);
            assertThat(home.resolve("keel.db")).doesNotExist();
        }
    }
}
