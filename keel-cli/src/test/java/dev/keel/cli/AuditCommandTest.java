package dev.keel.cli;

import dev.keel.api.tracking.Metric;
import dev.keel.api.tracking.NewRun;
import dev.keel.api.tracking.TrackingService;
import dev.keel.core.Actor;
import dev.keel.server.KeelPlatform;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

import static dev.keel.cli.LocalHome.env;
import static dev.keel.cli.CommandLineRun.keel;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code keel audit …} on an embedded SQLite store in a temporary KEEL_HOME. */
class AuditCommandTest {
    private static final Actor ALICE = new Actor("alice");

    @TempDir
    Path home;

    /** A run with {@code metrics} single-metric calls; returns its id. Events: default experiment, run, metrics. */
    private String runWithMetrics(int metrics) {
        try (KeelPlatform platform = LocalHome.open(home)) {
            TrackingService tracking = platform.tracking();
            String runId = tracking.createRun(ALICE, NewRun.in("0")).info().runId();
            for (int i = 0; i < metrics; i++) {
                tracking.logMetric(ALICE, runId, new Metric("auc", i / 10.0, 1000L + i, i));
            }
            return runId;
        }
    }

    private void tamper(String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("keel.db"));
             Statement statement = connection.createStatement()) {
            statement.executeUpdate(sql);
        }
    }

    @Test
    void an_untouched_trail_verifies_and_exits_zero() {
        runWithMetrics(3);

        CommandLineRun verified = keel(env(home), "audit", "verify");

        assertThat(verified.exitCode()).as(verified.toString()).isZero();
        assertThat(verified.out()).startsWith("intact: 5 events, no checkpoint signed yet");
        assertThat(home.resolve("keys").resolve("audit-ec-p256.pem")).exists();
    }

    @Test
    void an_edited_event_fails_verification_naming_its_number() throws Exception {
        runWithMetrics(5);

        tamper("UPDATE audit_events SET summary = '{\"key\":\"auc\",\"step\":2,\"timestamp\":1002,\"value\":0.9}' WHERE seq = 5");
        CommandLineRun verified = keel(env(home), "audit", "verify");

        assertThat(verified.exitCode()).as(verified.toString()).isEqualTo(1);
        assertThat(verified.out()).startsWith("broken at event 5 (altered)");
    }

    @Test
    void a_deleted_event_fails_verification_naming_its_number() throws Exception {
        runWithMetrics(5);

        tamper("DELETE FROM audit_events WHERE seq = 4");
        CommandLineRun verified = keel(env(home), "audit", "verify", "--json");

        assertThat(verified.exitCode()).as(verified.toString()).isEqualTo(1);
        assertThat(verified.json().get("broken_seq").asLong()).isEqualTo(4);
        assertThat(verified.json().get("breach").asText()).isEqualTo("removed");
    }

    @Test
    void a_signed_checkpoint_is_reported_by_verify() {
        runWithMetrics(2);

        CommandLineRun signed = keel(env(home), "audit", "checkpoint");
        CommandLineRun verified = keel(env(home), "audit", "verify");

        assertThat(signed.exitCode()).as(signed.toString()).isZero();
        assertThat(signed.out()).startsWith("signed the head at event 4");
        assertThat(verified.out()).startsWith("intact: 4 events, last checkpoint at event 4, signed ");
    }

    @Test
    void the_log_shows_the_events_of_one_resource() {
        String runId = runWithMetrics(2);

        CommandLineRun table = keel(env(home), "audit", "log", "--resource", "run/" + runId);
        CommandLineRun json = keel(env(home), "audit", "log", "--resource", "run/" + runId, "--limit", "2", "--json");

        assertThat(table.exitCode()).as(table.toString()).isZero();
        assertThat(table.out()).contains("run.create", "run.log_metric", "alice").doesNotContain("experiment.create");
        assertThat(json.json()).hasSize(2);
        assertThat(json.json().get(1).get("action").asText()).isEqualTo("run.log_metric");
        assertThat(json.json().get(1).get("summary").get("key").asText()).isEqualTo("auc");
    }

    @Test
    void export_streams_one_json_object_per_line() throws Exception {
        runWithMetrics(3);

        CommandLineRun exported = keel(env(home), "audit", "export", "--since", "1970-01-01", "--format", "jsonl");

        assertThat(exported.exitCode()).as(exported.toString()).isZero();
        String[] lines = exported.out().strip().split("\n");
        assertThat(lines).hasSize(5);
        JsonNode last = new ObjectMapper().readTree(lines[4]);
        assertThat(last.get("seq").asLong()).isEqualTo(5);
        assertThat(last.get("hash").asText()).hasSize(64);
        assertThat(new ObjectMapper().readTree(lines[3]).get("hash").asText()).isEqualTo(last.get("prev_hash").asText());
    }

    @Test
    void export_refuses_an_unknown_format_and_a_bad_time() {
        CommandLineRun csv = keel(env(home), "audit", "export", "--format", "csv");
        CommandLineRun when = keel(env(home), "audit", "export", "--since", "yesterday");

        assertThat(csv.exitCode()).isEqualTo(2);
        assertThat(csv.err()).contains("'--format' must be jsonl");
        assertThat(when.exitCode()).isEqualTo(2);
        assertThat(when.err()).contains("'--since'");
    }
}
