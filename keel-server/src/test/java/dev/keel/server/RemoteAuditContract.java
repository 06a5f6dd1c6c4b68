package dev.keel.server;

import dev.keel.api.audit.AuditEvent;
import dev.keel.api.audit.AuditService;
import dev.keel.api.audit.Checkpoint;
import dev.keel.api.audit.Verification;
import dev.keel.api.audit.Verification.Breach;
import dev.keel.api.audit.Verification.Broken;
import dev.keel.api.audit.Verification.Intact;
import dev.keel.api.tracking.Metric;
import dev.keel.api.tracking.NewExperiment;
import dev.keel.api.tracking.NewRun;
import dev.keel.api.tracking.TrackingService;
import dev.keel.core.Actor;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import dev.keel.core.Role;
import dev.keel.store.TestDatabases.Kind;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The audit trail through the REST API and the SDK of a server with authentication on: verify
 * (intact, then tampered with in SQL), read by resource, export as NDJSON from a time,
 * checkpoint; only admins and approvers may, and bad parameters are 400s naming them. Each test
 * has its own server, so tampering in one leaves the others' chains whole.
 */
abstract class RemoteAuditContract {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Actor MIKE = new Actor("mike");

    @TempDir
    Path dir;
    private SignedInServer keel;
    private String runId;
    private String otherExperimentId;

    protected abstract Kind kind();

    @BeforeEach
    void start() {
        Map<String, Role> users = new LinkedHashMap<>();
        users.put("audrey", Role.APPROVER);   // the auditor
        users.put("mike", Role.MEMBER);
        users.put("vera", Role.VIEWER);
        keel = SignedInServer.start(kind(), dir, users);
        TrackingService tracking = keel.platform.tracking();
        String experimentId = tracking.createExperiment(MIKE, NewExperiment.named("audited")).experimentId();
        runId = tracking.createRun(MIKE, NewRun.in(experimentId)).info().runId();
        for (int i = 0; i < 3; i++) {
            tracking.logMetric(MIKE, runId, new Metric("auc", i / 10.0, 1000L + i, i));
        }
        otherExperimentId = tracking.createExperiment(MIKE, NewExperiment.named("elsewhere")).experimentId();
        keel.platform.auditTrail().chainStaged(); // on PostgreSQL: what is tampered with below is the chain itself
    }

    @AfterEach
    void stop() {
        if (keel != null) {
            keel.close();
        }
    }

    private AuditService audit(String user) {
        return keel.as(user).audit();
    }

    private List<AuditEvent> all() {
        List<AuditEvent> events = new ArrayList<>();
        keel.platform.auditTrail().export(0, events::add);
        return events;
    }

    private void tamper(String sql) {
        keel.database.database().inTransaction(tx -> {
            try (PreparedStatement update = tx.prepareStatement(sql)) {
                return update.executeUpdate();
            }
        });
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    @Test
    void an_intact_trail_verifies_over_http_as_it_does_in_process() throws Exception {
        HttpResponse<String> verified = keel.send("audrey", "GET", "/api/v1/audit/verify", null);

        assertThat(verified.statusCode()).as(verified.body()).isEqualTo(200);
        assertThat(json(verified).get("intact").asBoolean()).isTrue();
        assertThat(json(verified).get("events").asLong()).isEqualTo(all().size());
        assertThat(json(verified).get("broken_seq").isNull()).isTrue();
        Verification remote = audit("audrey").verify(null);
        assertThat(remote).isInstanceOf(Intact.class).isEqualTo(keel.platform.auditTrail().verify());
        assertThat(audit(SignedInServer.ADMIN.name()).verify(null)).isEqualTo(remote);
    }

    @Test
    void a_row_changed_in_sql_fails_verification_naming_its_number_with_a_200() throws Exception {
        long seq = all().get(2).seq();
        tamper("UPDATE audit_events SET actor = 'mallory' WHERE seq = " + seq);

        HttpResponse<String> verified = keel.send("audrey", "GET", "/api/v1/audit/verify", null);

        assertThat(verified.statusCode()).as(verified.body()).isEqualTo(200);
        assertThat(json(verified).get("intact").asBoolean()).isFalse();
        assertThat(json(verified).get("broken_seq").asLong()).isEqualTo(seq);
        assertThat(json(verified).get("breach").asText()).isEqualTo("ALTERED");
        assertThat(json(verified).get("reason").asText()).isNotBlank();
        Verification remote = audit("audrey").verify(null);
        assertThat(remote).isInstanceOf(Broken.class).isEqualTo(keel.platform.auditTrail().verify());
        assertThat(((Broken) remote).seq()).isEqualTo(seq);
        assertThat(((Broken) remote).breach()).isEqualTo(Breach.ALTERED);
    }

    @Test
    void export_streams_ndjson_from_the_first_event_at_or_after_since() throws Exception {
        List<AuditEvent> all = all();
        AuditEvent middle = all.get(all.size() / 2);
        long since = middle.recordedAt();
        long firstSeq = all.stream().filter(e -> e.recordedAt() >= since).mapToLong(AuditEvent::seq).min().orElseThrow();
        List<AuditEvent> expected = all.stream().filter(e -> e.seq() >= firstSeq).toList();

        for (String from : List.of(String.valueOf(since), Instant.ofEpochMilli(since).toString())) {
            HttpResponse<String> exported = keel.send("audrey", "GET", "/api/v1/audit/export?since=" + from, null);
            assertThat(exported.statusCode()).as(exported.body()).isEqualTo(200);
            assertThat(exported.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                    assertThat(type).startsWith("application/x-ndjson"));
            assertThat(exported.body()).endsWith("\n");
            List<String> lines = exported.body().lines().toList();
            assertThat(lines).hasSize(expected.size());
            for (int i = 0; i < lines.size(); i++) {
                assertThat(lines.get(i)).isEqualTo(expected.get(i).jsonLine());
                JsonNode line = JSON.readTree(lines.get(i));
                assertThat(line.get("seq").asLong()).isEqualTo(expected.get(i).seq());
                if (i > 0) {
                    assertThat(line.get("prev_hash").asText()).isEqualTo(JSON.readTree(lines.get(i - 1)).get("hash").asText());
                }
            }
        }

        List<AuditEvent> streamed = new ArrayList<>();
        long count = audit("audrey").export(null, since, streamed::add);
        assertThat(count).isEqualTo(expected.size());
        assertThat(streamed).isEqualTo(expected);
        assertThat(audit("audrey").export(null, 0, event -> { })).isEqualTo(all.size());
        HttpResponse<String> future = keel.send("audrey", "GET", "/api/v1/audit/export?since=2999-01-01", null);
        assertThat(future.statusCode()).isEqualTo(200);
        assertThat(future.body()).isEmpty();
    }

    @Test
    void a_large_export_arrives_whole_and_in_chain_order_over_raw_http_and_the_sdk() {
        keel.database.database().inTransaction(tx -> {
            for (int i = 0; i < 3000; i++) {
                keel.platform.auditTrail().record(tx, MIKE, "test.bulk", "test/bulk", Map.of("i", i, "pad", "x".repeat(100)));
            }
            return null;
        });
        List<AuditEvent> all = all();

        HttpResponse<String> exported = keel.send("audrey", "GET", "/api/v1/audit/export", null);
        List<AuditEvent> streamed = new ArrayList<>();
        long count = audit("audrey").export(null, 0, streamed::add);

        assertThat(exported.statusCode()).isEqualTo(200);
        assertThat(exported.body().length()).isGreaterThan(1_000_000);
        assertThat(exported.body().lines().toList()).isEqualTo(all.stream().map(AuditEvent::jsonLine).toList());
        assertThat(count).isEqualTo(all.size());
        assertThat(streamed).isEqualTo(all);
    }

    @Test
    void events_are_read_by_resource_newest_last_within_the_limit() throws Exception {
        HttpResponse<String> read = keel.send("audrey", "GET", "/api/v1/audit/events?resource=experiment/"
                + otherExperimentId, null);

        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        JsonNode events = json(read).get("events");
        assertThat(events).hasSize(1);
        assertThat(events.get(0).get("resource").asText()).isEqualTo("experiment/" + otherExperimentId);
        assertThat(events.get(0).get("actor").asText()).isEqualTo("mike");
        assertThat(events.get(0).get("action").asText()).isEqualTo("experiment.create");

        List<AuditEvent> ofRun = audit("audrey").latest(null, "run/" + runId, 50);
        assertThat(ofRun).isEqualTo(keel.platform.auditTrail().latest("run/" + runId, 50));
        assertThat(ofRun).extracting(AuditEvent::action)
                .containsExactly("run.create", "run.log_metric", "run.log_metric", "run.log_metric");
        assertThat(audit("audrey").latest(null, "run/" + runId, 2)).isEqualTo(ofRun.subList(2, 4));
        List<AuditEvent> newest = audit("audrey").latest(null, null, 1);
        assertThat(newest).containsExactly(all().get(all().size() - 1));
    }

    @Test
    void a_checkpoint_signed_over_http_is_reported_by_verify() throws Exception {
        HttpResponse<String> signed = keel.send("audrey", "POST", "/api/v1/audit/checkpoint", null);

        assertThat(signed.statusCode()).as(signed.body()).isEqualTo(200);
        long head = all().get(all().size() - 1).seq();
        assertThat(json(signed).get("seq").asLong()).isEqualTo(head);
        Checkpoint again = audit("audrey").checkpoint(null);
        assertThat(again.seq()).isEqualTo(head);
        assertThat(again.signature()).isEqualTo(json(signed).get("signature").asText());
        Verification verified = audit("audrey").verify(null);
        assertThat(((Intact) verified).lastCheckpoint()).isEqualTo(again);
    }

    @Test
    void members_viewers_and_strangers_may_not_read_the_trail() throws Exception {
        List<String> paths = List.of("GET /api/v1/audit/verify", "GET /api/v1/audit/events", "GET /api/v1/audit/export",
                "POST /api/v1/audit/checkpoint");
        for (String route : paths) {
            String[] parts = route.split(" ");
            for (String user : List.of("mike", "vera")) {
                HttpResponse<String> refused = keel.send(user, parts[0], parts[1], null);
                assertThat(refused.statusCode()).as(user + " " + route + ": " + refused.body()).isEqualTo(403);
                assertThat(json(refused).get("message").asText()).contains("only admins and approvers (auditors)");
            }
            assertThat(keel.send(null, parts[0], parts[1], null).statusCode()).as(route).isEqualTo(401);
            assertThat(keel.send(SignedInServer.ADMIN.name(), parts[0], parts[1], null).statusCode()).as(route)
                    .isEqualTo(200);
        }
        assertThatThrownBy(() -> audit("mike").verify(null)).isInstanceOf(KeelException.class)
                .satisfies(e -> assertThat(((KeelException) e).code()).isEqualTo(ErrorCode.PERMISSION_DENIED));
        assertThatThrownBy(() -> audit("mike").export(null, 0, event -> { })).isInstanceOf(KeelException.class)
                .satisfies(e -> assertThat(((KeelException) e).code()).isEqualTo(ErrorCode.PERMISSION_DENIED))
                .hasMessageContaining("export the audit trail");
        assertThatThrownBy(() -> keel.platform.audit().latest(MIKE, null, 5)).isInstanceOf(KeelException.class)
                .hasMessageContaining("only admins and approvers");
    }

    @Test
    void bad_parameters_are_400s_naming_them() throws Exception {
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("/api/v1/audit/export?since=yesterday", "'since'");
        refused.put("/api/v1/audit/export?since=-5", "'since'");
        refused.put("/api/v1/audit/export?since=99999999999999999999", "'since'");
        refused.put("/api/v1/audit/export?since=2026-13-45", "'since'");
        refused.put("/api/v1/audit/export?since=" + "9".repeat(5000), "'since'");
        refused.put("/api/v1/audit/events?limit=0", "'limit'");
        refused.put("/api/v1/audit/events?limit=-1", "'limit'");
        refused.put("/api/v1/audit/events?limit=abc", "'limit'");
        refused.put("/api/v1/audit/events?limit=10001", "'limit'");
        refused.put("/api/v1/audit/events?limit=99999999999", "'limit'");
        refused.put("/api/v1/audit/events?resource=" + "r".repeat(2000), "'resource'");
        for (Map.Entry<String, String> query : refused.entrySet()) {
            HttpResponse<String> answer = keel.send("audrey", "GET", query.getKey(), null);
            assertThat(answer.statusCode()).as(query.getKey() + " → " + answer.body()).isEqualTo(400);
            assertThat(json(answer).get("message").asText()).as(query.getKey()).contains(query.getValue());
        }
        assertThatThrownBy(() -> audit("audrey").latest(null, null, 0)).isInstanceOf(KeelException.class)
                .hasMessageContaining("'limit'");
    }

    @Test
    void the_api_description_documents_the_new_routes() throws Exception {
        JsonNode paths = json(keel.send(null, "GET", "/api/docs", null)).get("paths");

        assertThat(paths.has("/api/v1/approvals")).isTrue();
        assertThat(paths.at("/~1api~1v1~1approvals~1{id}~1approve/post/requestBody").isMissingNode()).isFalse();
        assertThat(paths.at("/~1api~1v1~1audit~1export/get/responses/200/content").has("application/x-ndjson")).isTrue();
        assertThat(paths.has("/api/v1/audit/verify")).isTrue();
        assertThat(paths.has("/api/v1/audit/checkpoint")).isTrue();
    }
}
