package dev.keel.cli;

import dev.keel.api.serving.BlueGreen;
import dev.keel.api.serving.CanaryAnalysis;
import dev.keel.api.serving.Endpoint;
import dev.keel.api.serving.GuardrailCheck;
import dev.keel.api.serving.Guardrails;
import dev.keel.api.serving.RollbackReport;
import dev.keel.api.serving.Rollout;
import dev.keel.api.serving.RolloutEvent;
import dev.keel.api.serving.RolloutStatus;
import dev.keel.api.serving.Verdict;
import dev.keel.core.Actor;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.keel.cli.CommandLineRun.keel;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code keel endpoints …} against a server named by KEEL_URL, and on the local store; bad input exits 2 naming it. */
class EndpointsCommandTest {
    @RegisterExtension
    final KeelServerForCli remote = new KeelServerForCli();

    private static CommandLineRun ok(Map<String, String> env, String... args) {
        CommandLineRun run = keel(env, args);
        assertThat(run.exitCode()).as(run.toString()).isZero();
        return run;
    }

    private static void bad(Map<String, String> env, String message, String... args) {
        CommandLineRun run = keel(env, args);
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.BAD_INPUT.value());
        assertThat(run.err()).contains(message);
    }

    @Test
    void endpoints_are_made_switched_shadowed_and_rolled_out_on_the_server() {
        Map<String, String> env = remote.env();
        CommandLineRun created = ok(env, "endpoints", "create", "churn", "--variant", "blue=models:/churn/1",
                "--variant", "green=models:/churn/2", "--variant", "dark=models:/churn@champion",
                "--policy", "blue-green:blue,green", "--shadow", "dark:5");
        assertThat(created.out()).contains("blue-green:blue,green").contains("dark:5%");
        Endpoint onServer = remote.platform().serving().endpoints().getEndpoint(Actor.LOCAL, "churn");
        assertThat(onServer.policy()).isInstanceOf(BlueGreen.class);
        assertThat(onServer.shadow().percent()).isEqualTo(5.0);
        assertThat(keel(Map.of("KEEL_HOME", remote.clientHome().toString()), "endpoints", "list").out())
                .as("nothing landed in KEEL_HOME").contains("no endpoints");

        assertThat(ok(env, "endpoints", "list").out()).contains("churn").contains("blue=models:/churn/1");
        JsonNode list = ok(env, "endpoints", "list", "--json").json();
        assertThat(list.get(0).get("policy").get("kind").asText()).isEqualTo("blue_green");
        JsonNode shown = ok(env, "endpoints", "show", "churn", "--json").json();
        assertThat(shown.get("version").asLong()).isEqualTo(1);
        assertThat(shown.get("shadow").get("variant").asText()).isEqualTo("dark");

        assertThat(ok(env, "endpoints", "switch", "churn", "green").out()).contains("blue-green:green,blue");
        assertThat(ok(env, "endpoints", "shadow", "churn", "off", "--json").json().get("shadow").isNull()).isTrue();
        assertThat(ok(env, "endpoints", "shadow", "churn", "dark:12.5").out()).contains("dark:12.5%");
        ok(env, "endpoints", "create", "scoring", "--variant", "v1=models:/credit/1");

        CommandLineRun started = ok(env, "endpoints", "canary", "start", "scoring", "--variant", "v2=models:/credit/2",
                "--steps", "10,25,50,100", "--step-duration", "30s", "--min-requests", "50", "--max-error-rate", "0.02",
                "--max-p99", "250ms");
        assertThat(started.out()).contains("progressing").contains("[10] → 25 → 50 → 100");
        JsonNode rollout = ok(env, "endpoints", "rollout", "scoring", "--json").json();
        assertThat(rollout.get("analysis").get("interval_ms").asLong()).isEqualTo(30_000);
        assertThat(rollout.get("analysis").get("min_samples").asLong()).isEqualTo(50);
        assertThat(rollout.get("analysis").get("guardrails").get("max_error_percent").asDouble()).isEqualTo(2.0);
        assertThat(rollout.get("analysis").get("guardrails").get("max_p99_latency_ms").asLong()).isEqualTo(250);
        assertThat(ok(env, "endpoints", "canary", "pause", "scoring", "--reason", "checking").out()).contains("paused");
        assertThat(ok(env, "endpoints", "canary", "resume", "scoring").out()).contains("progressing");
        bad(env, "rollout", "endpoints", "canary", "resume", "scoring");
        assertThat(ok(env, "endpoints", "canary", "abort", "scoring", "--reason", "enough").out()).contains("aborted");
        CommandLineRun history = ok(env, "endpoints", "rollout", "scoring");
        assertThat(history.out()).contains("started at 10%").contains("paused").contains("resumed").contains("aborted");
        assertThat(remote.platform().serving().endpoints().getRollout(Actor.LOCAL, "scoring").reason()).isEqualTo("enough");

        ok(env, "endpoints", "canary", "start", "scoring", "--variant", "v2", "--steps", "50,100", "--max-p99", "1s");
        Rollout latencyOnly = remote.platform().serving().endpoints().getRollout(Actor.LOCAL, "scoring");
        assertThat(latencyOnly.analysis().guardrails().maxErrorPercent()).isNull();
        assertThat(latencyOnly.analysis().guardrails().maxP99Latency()).isEqualTo(Duration.ofSeconds(1));
        assertThat(ok(env, "endpoints", "canary", "promote", "scoring").out()).contains("promoted");
        assertThat(ok(env, "endpoints", "show", "scoring").out()).contains("single:v2");

        bad(env, "served no request", "endpoints", "compare", "churn", "green", "blue", "--metric", "error_rate");
        ok(env, "endpoints", "delete", "churn");
        bad(env, "churn", "endpoints", "show", "churn");
    }

    @Test
    void bad_input_exits_2_with_a_message_naming_what_is_wrong() {
        Map<String, String> env = remote.env();
        bad(env, "--policy", "endpoints", "create", "e", "--variant", "a=models:/m/1", "--variant", "b=models:/m/2",
                "--policy", "round-robin:a,b");
        bad(env, "add up to 100", "endpoints", "create", "e", "--variant", "a=models:/m/1", "--variant", "b=models:/m/2",
                "--policy", "ab:a=50,b=40");
        bad(env, "--policy' is required", "endpoints", "create", "e", "--variant", "a=models:/m/1", "--variant",
                "b=models:/m/2");
        bad(env, "--variant", "endpoints", "create", "e", "--variant", "models:/m/1");
        bad(env, "model", "endpoints", "create", "e", "--variant", "a=s3://bucket/m");
        bad(env, "shadow", "endpoints", "create", "e", "--variant", "a=models:/m/1", "--shadow", "a");
        assertThat(remote.platform().serving().endpoints().listEndpoints(Actor.LOCAL)).isEmpty();

        ok(env, "endpoints", "create", "e", "--variant", "a=models:/m/1");
        bad(env, "steps", "endpoints", "canary", "start", "e", "--variant", "b=models:/m/2", "--steps", "50,10");
        bad(env, "--steps", "endpoints", "canary", "start", "e", "--variant", "b=models:/m/2", "--steps", "ten");
        bad(env, "--step-duration", "endpoints", "canary", "start", "e", "--variant", "b=models:/m/2", "--steps", "10,100",
                "--step-duration", "5 parsecs");
        bad(env, "--max-error-rate", "endpoints", "canary", "start", "e", "--variant", "b=models:/m/2", "--steps", "10,100",
                "--max-error-rate", "5");
        bad(env, "variant", "endpoints", "canary", "start", "e", "--variant", "nope", "--steps", "10,100");
        bad(env, "--metric", "endpoints", "compare", "e", "a", "b", "--metric", "vibes");
        bad(env, "nowhere", "endpoints", "rollout", "nowhere");
        bad(env, "blue", "endpoints", "switch", "e", "blue");
        assertThat(remote.platform().serving().endpoints().getEndpoint(Actor.LOCAL, "e").version()).isEqualTo(1);
    }

    @Test
    void on_the_local_store_without_a_server() {
        Map<String, String> env = Map.of("KEEL_HOME", remote.clientHome().toString());
        ok(env, "endpoints", "create", "local", "--variant", "a=models:/m/1", "--variant", "b=models:/m/2",
                "--policy", "ab:a=30,b=70");
        assertThat(ok(env, "endpoints", "show", "local").out()).contains("ab:a=30,b=70");
        assertThat(ok(env, "endpoints", "list", "--json").json().size()).isEqualTo(1);
        ok(env, "endpoints", "delete", "local");
        assertThat(ok(env, "endpoints", "list").out()).contains("no endpoints");
    }

    @Test
    void a_rolled_back_rollout_shows_its_breaches_and_the_breach_to_rollback_time() {
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        Instant breach = start.plusSeconds(20);
        Instant rolledBack = breach.plusMillis(1_500);
        RollbackReport report = new RollbackReport("error_rate above 5%", List.of(new GuardrailCheck("error_rate", 50, 5,
                400, Verdict.FAIL, breach)), 20, breach, rolledBack, rolledBack);
        Rollout rollout = new Rollout(7, "scoring", "v1", "v2", "models:/credit/2", List.of(20.0, 100.0),
                new CanaryAnalysis(Duration.ofMinutes(1), 100, 3, Guardrails.errorsAndLatency(5, Duration.ofMillis(200))),
                0, RolloutStatus.ROLLED_BACK, "error_rate above 5%", start, start, null, 0, rolledBack, 2,
                List.of(new RolloutEvent(start, "alice", "started", 20, ""),
                        new RolloutEvent(rolledBack, "keel-rollouts", "rolled_back", 0, "error_rate 50.00 > 5.00")),
                report);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        new EndpointPrinter(new PrintStream(text, true, StandardCharsets.UTF_8), false).rollout(rollout);
        assertThat(text.toString(StandardCharsets.UTF_8)).contains("rolled_back (error_rate above 5%)")
                .contains("breach: error_rate 50.00 > 5.00 over 400 samples")
                .contains("breach to rollback:    1500 ms").contains("rolled_back at 0% by keel-rollouts");
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        new EndpointPrinter(new PrintStream(json, true, StandardCharsets.UTF_8), true).rollout(rollout);
        assertThat(json.toString(StandardCharsets.UTF_8)).contains("\"breach_to_rollback_ms\" : 1500");
    }
}
