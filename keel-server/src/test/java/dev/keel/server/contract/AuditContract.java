package dev.keel.server.contract;

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
import dev.keel.core.Role;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpResponse;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.keel.store.Failures.assertFails;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What the {@link AuditService} promises, run on every {@link Backend} with sign-in required:
 * verify (intact, then tampered with in SQL), read by resource, export from a time, checkpoint;
 * only admins and approvers may. Over HTTP the raw answers are checked too: the verification's
 * JSON, the NDJSON export, 403s and 401s, and bad parameters as 400s naming them. Tampering
 * breaks the chain for good, so the test that tampers does it on a platform of its own; the
 * others share one, each with its own experiments and run.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class AuditContract extends ContractSuite {
    private static final Actor AUDREY = new Actor("audrey");  // the auditor
    private static final Actor MIKE = new Actor("mike");
    private static final Actor ADMIN = Deployment.ADMIN;

    /** What each test finds audited: a run with three metrics, and an experiment elsewhere with one event. */
    record Audited(String runId, String otherExperimentId) {
    }

    private Audited audited;

    @Override
    protected Deployment.Setup setup() {
        Map<String, Role> users = new LinkedHashMap<>();
        users.put(AUDREY.name(), Role.APPROVER);
        users.put(MIKE.name(), Role.MEMBER);
        users.put("vera", Role.VIEWER);
        return Deployment.Setup.signedIn(users);
    }

    @BeforeEach
    void recordHistory() {
        audited = audited(deployment());
    }

    /** Mike's experiment with a run and three metrics, and another experiment, made in-process on {@code on}. */
    private static Audited audited(Deployment on) {
        TrackingService tracking = on.platform().tracking();
        String experimentId = tracking.createExperiment(MIKE, NewExperiment.named("audited-" + UUID.randomUUID()))
                .experimentId();
        String runId = tracking.createRun(MIKE, NewRun.in(experimentId)).info().runId();
        for (int i = 0; i < 3; i++) {
            tracking.logMetric(MIKE, runId, new Metric("auc", i / 10.0, 1000L + i, i));
        }
        String otherExperimentId = tracking.createExperiment(MIKE, NewExperiment.named("elsewhere-" + UUID.randomUUID()))
                .experimentId();
        on.platform().auditTrail().chainStaged(); // on PostgreSQL: what is tampered with is then the chain itself
        return new Audited(runId, otherExperimentId);
    }

    private AuditService audit(Actor who) {
        return deployment().as(who.name()).audit();
    }

    private static List<AuditEvent> all(Deployment on) {
        List<AuditEvent> events = new ArrayList<>();
        on.platform().auditTrail().export(0, events::add);
        return events;
    }

    private List<AuditEvent> all() {
        return all(deployment());
    }

    @Test
    void an_intact_trail_verifies_over_http_as_it_does_in_process() {
        if (backend.http()) {
            HttpResponse<String> verified = deployment().send("audrey", "GET", "/api/v1/audit/verify", null);
            assertThat(verified.statusCode()).as(verified.body()).isEqualTo(200);
            assertThat(json(verified).get("intact").asBoolean()).isTrue();
            assertThat(json(verified).get("events").asLong()).isEqualTo(all().size());
            assertThat(json(verified).get("broken_seq").isNull()).isTrue();
        }
        Verification remote = audit(AUDREY).verify(AUDREY);
        assertThat(remote).isInstanceOf(Intact.class).isEqualTo(deployment().platform().auditTrail().verify());
        assertThat(audit(ADMIN).verify(ADMIN)).isEqualTo(remote);
    }

    @Test
    void a_row_changed_in_sql_fails_verification_naming_its_number_with_a_200() {
        try (Deployment tampered = Deployment.open(backend, setup())) {
            audited(tampered);
            long seq = all(tampered).get(2).seq();
            tampered.database().inTransaction(tx -> {
                try (PreparedStatement update = tx.prepareStatement(
                        "UPDATE audit_events SET actor = 'mallory' WHERE seq = " + seq)) {
                    return update.executeUpdate();
                }
            });

            if (backend.http()) {
                HttpResponse<String> verified = tampered.send("audrey", "GET", "/api/v1/audit/verify", null);
                assertThat(verified.statusCode()).as(verified.body()).isEqualTo(200);
                assertThat(json(verified).get("intact").asBoolean()).isFalse();
                assertThat(json(verified).get("broken_seq").asLong()).isEqualTo(seq);
                assertThat(json(verified).get("breach").asText()).isEqualTo("ALTERED");
                assertThat(json(verified).get("reason").asText()).isNotBlank();
            }
            Verification remote = tampered.as(AUDREY.name()).audit().verify(AUDREY);
            assertThat(remote).isInstanceOf(Broken.class).isEqualTo(tampered.platform().auditTrail().verify());
            assertThat(((Broken) remote).seq()).isEqualTo(seq);
            assertThat(((Broken) remote).breach()).isEqualTo(Breach.ALTERED);
        }
    }

    @Test
    void export_streams_ndjson_from_the_first_event_at_or_after_since() {
        List<AuditEvent> all = all();
        AuditEvent middle = all.get(all.size() / 2);
        long since = middle.recordedAt();
        long firstSeq = all.stream().filter(e -> e.recordedAt() >= since).mapToLong(AuditEvent::seq).min().orElseThrow();
        List<AuditEvent> expected = all.stream().filter(e -> e.seq() >= firstSeq).toList();

        if (backend.http()) {
            for (String from : List.of(String.valueOf(since), Instant.ofEpochMilli(since).toString())) {
                HttpResponse<String> exported = deployment().send("audrey", "GET", "/api/v1/audit/export?since=" + from, null);
                assertThat(exported.statusCode()).as(exported.body()).isEqualTo(200);
                assertThat(exported.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                        assertThat(type).startsWith("application/x-ndjson"));
                assertThat(exported.body()).endsWith("\n");
                List<String> lines = exported.body().lines().toList();
                assertThat(lines).hasSize(expected.size());
                for (int i = 0; i < lines.size(); i++) {
                    assertThat(lines.get(i)).isEqualTo(expected.get(i).jsonLine());
                    JsonNode line = json(lines.get(i));
                    assertThat(line.get("seq").asLong()).isEqualTo(expected.get(i).seq());
                    if (i > 0) {
                        assertThat(line.get("prev_hash").asText()).isEqualTo(json(lines.get(i - 1)).get("hash").asText());
                    }
                }
            }
        }

        List<AuditEvent> streamed = new ArrayList<>();
        long count = audit(AUDREY).export(AUDREY, since, streamed::add);
        assertThat(count).isEqualTo(expected.size());
        assertThat(streamed).isEqualTo(expected);
        assertThat(audit(AUDREY).export(AUDREY, 0, event -> { })).isEqualTo(all.size());
        if (backend.http()) {
            HttpResponse<String> future = deployment().send("audrey", "GET", "/api/v1/audit/export?since=2999-01-01", null);
            assertThat(future.statusCode()).isEqualTo(200);
            assertThat(future.body()).isEmpty();
        }
    }

    @Test
    void a_large_export_arrives_whole_and_in_chain_order_over_raw_http_and_the_sdk() {
        deployment().database().inTransaction(tx -> {
            for (int i = 0; i < 3000; i++) {
                deployment().platform().auditTrail().record(tx, MIKE, "test.bulk", "test/bulk",
                        Map.of("i", i, "pad", "x".repeat(100)));
            }
            return null;
        });
        List<AuditEvent> all = all();

        if (backend.http()) {
            HttpResponse<String> exported = deployment().send("audrey", "GET", "/api/v1/audit/export", null);
            assertThat(exported.statusCode()).isEqualTo(200);
            assertThat(exported.body().length()).isGreaterThan(1_000_000);
            assertThat(exported.body().lines().toList()).isEqualTo(all.stream().map(AuditEvent::jsonLine).toList());
        }
        List<AuditEvent> streamed = new ArrayList<>();
        long count = audit(AUDREY).export(AUDREY, 0, streamed::add);

        assertThat(count).isEqualTo(all.size());
        assertThat(streamed).isEqualTo(all);
    }

    @Test
    void events_are_read_by_resource_newest_last_within_the_limit() {
        if (backend.http()) {
            HttpResponse<String> read = deployment().send("audrey", "GET", "/api/v1/audit/events?resource=experiment/"
                    + audited.otherExperimentId(), null);
            assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
            JsonNode events = json(read).get("events");
            assertThat(events).hasSize(1);
            assertThat(events.get(0).get("resource").asText()).isEqualTo("experiment/" + audited.otherExperimentId());
            assertThat(events.get(0).get("actor").asText()).isEqualTo("mike");
            assertThat(events.get(0).get("action").asText()).isEqualTo("experiment.create");
        }

        String run = "run/" + audited.runId();
        List<AuditEvent> ofRun = audit(AUDREY).latest(AUDREY, run, 50);
        assertThat(ofRun).isEqualTo(deployment().platform().auditTrail().latest(run, 50));
        assertThat(ofRun).extracting(AuditEvent::action)
                .containsExactly("run.create", "run.log_metric", "run.log_metric", "run.log_metric");
        assertThat(audit(AUDREY).latest(AUDREY, run, 2)).isEqualTo(ofRun.subList(2, 4));
        List<AuditEvent> newest = audit(AUDREY).latest(AUDREY, null, 1);
        assertThat(newest).containsExactly(all().get(all().size() - 1));
    }

    @Test
    void a_checkpoint_signed_over_http_is_reported_by_verify() {
        long signedSeq;
        String signature;
        if (backend.http()) {
            HttpResponse<String> signed = deployment().send("audrey", "POST", "/api/v1/audit/checkpoint", null);
            assertThat(signed.statusCode()).as(signed.body()).isEqualTo(200);
            signedSeq = json(signed).get("seq").asLong();
            signature = json(signed).get("signature").asText();
        } else {
            Checkpoint signed = audit(AUDREY).checkpoint(AUDREY);
            signedSeq = signed.seq();
            signature = signed.signature();
        }

        long head = all().get(all().size() - 1).seq();
        assertThat(signedSeq).isEqualTo(head);
        Checkpoint again = audit(AUDREY).checkpoint(AUDREY);
        assertThat(again.seq()).isEqualTo(head);
        assertThat(again.signature()).isEqualTo(signature);
        Verification verified = audit(AUDREY).verify(AUDREY);
        assertThat(((Intact) verified).lastCheckpoint()).isEqualTo(again);
    }

    @Test
    void members_viewers_and_strangers_may_not_read_the_trail() {
        if (backend.http()) {
            List<String> routes = List.of("GET /api/v1/audit/verify", "GET /api/v1/audit/events", "GET /api/v1/audit/export",
                    "POST /api/v1/audit/checkpoint");
            for (String route : routes) {
                String[] parts = route.split(" ");
                for (String user : List.of("mike", "vera")) {
                    HttpResponse<String> refused = deployment().send(user, parts[0], parts[1], null);
                    assertThat(refused.statusCode()).as(user + " " + route + ": " + refused.body()).isEqualTo(403);
                    assertThat(json(refused).get("message").asText()).contains("only admins and approvers (auditors)");
                }
                assertThat(deployment().send(null, parts[0], parts[1], null).statusCode()).as(route).isEqualTo(401);
                assertThat(deployment().send(ADMIN.name(), parts[0], parts[1], null).statusCode()).as(route).isEqualTo(200);
            }
        }
        assertFails(() -> audit(MIKE).verify(MIKE), ErrorCode.PERMISSION_DENIED);
        assertFails(() -> audit(MIKE).export(MIKE, 0, event -> { }), ErrorCode.PERMISSION_DENIED,
                "export the audit trail");
        assertFails(() -> deployment().platform().audit().latest(MIKE, null, 5), ErrorCode.PERMISSION_DENIED,
                "only admins and approvers");
    }

    @Test
    void bad_parameters_are_400s_naming_them() {
        if (backend.http()) {
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
                HttpResponse<String> answer = deployment().send("audrey", "GET", query.getKey(), null);
                assertThat(answer.statusCode()).as(query.getKey() + " → " + answer.body()).isEqualTo(400);
                assertThat(json(answer).get("message").asText()).as(query.getKey()).contains(query.getValue());
            }
        }
        assertFails(() -> audit(AUDREY).latest(AUDREY, null, 0), ErrorCode.INVALID_PARAMETER_VALUE, "'limit'");
    }

    @Test
    void the_api_description_documents_the_new_routes() {
        assumeTrue(backend.http(), "the API description is served by the server");
        JsonNode paths = json(deployment().send(null, "GET", "/api/docs", null)).get("paths");

        assertThat(paths.has("/api/v1/approvals")).isTrue();
        assertThat(paths.at("/~1api~1v1~1approvals~1{id}~1approve/post/requestBody").isMissingNode()).isFalse();
        assertThat(paths.at("/~1api~1v1~1audit~1export/get/responses/200/content").has("application/x-ndjson")).isTrue();
        assertThat(paths.has("/api/v1/audit/verify")).isTrue();
        assertThat(paths.has("/api/v1/audit/checkpoint")).isTrue();
    }
}
