package dev.keel.server;

import dev.keel.api.approval.ApprovalRequest;
import dev.keel.api.approval.ApprovalService;
import dev.keel.api.approval.ApprovalStatus;
import dev.keel.api.approval.ApprovalTarget;
import dev.keel.api.approval.Decision;
import dev.keel.api.approval.RecordedCheck;
import dev.keel.api.approval.Verdict;
import dev.keel.api.registry.RiskTier;
import dev.keel.api.registry.Stage;
import dev.keel.core.Actor;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import dev.keel.core.Permission;
import dev.keel.core.Resource;
import dev.keel.core.Role;
import dev.keel.registry.card.SampleCards;
import dev.keel.store.TestDatabases.Kind;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Approvals through the SDK and the REST API of a server with authentication on, the shipped
 * policy in force (low tier: a written card's model details and intended use, digests verified,
 * one approver): every answer over HTTP equals what the embedded service holds, and every
 * refusal arrives with the service's own code and reason.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RemoteApprovalsContract {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Actor ALICE = new Actor("alice");

    private SignedInServer keel;
    private ApprovalService embedded;

    protected abstract Kind kind();

    @BeforeAll
    void start(@TempDir Path dir) {
        Map<String, Role> users = new LinkedHashMap<>();
        users.put("alice", Role.APPROVER);  // registers the versions, so may not approve them
        users.put("bob", Role.MEMBER);      // requests
        users.put("carol", Role.APPROVER);
        users.put("dave", Role.APPROVER);
        users.put("erin", Role.VIEWER);
        keel = SignedInServer.start(kind(), dir, users);
        embedded = keel.platform.approvals();
    }

    @AfterAll
    void stop() {
        if (keel != null) {
            keel.close();
        }
    }

    private ApprovalService as(String user) {
        return keel.as(user).approvals();
    }

    /** Version 1 of a new low-tier model registered by alice; with its card written, every check passes. */
    private String model(boolean card) {
        String name = "credit-" + UUID.randomUUID().toString().substring(0, 8);
        ModelsInRuns.registered(keel.platform, ALICE, name);
        // requesting an approval needs EDIT on the model: its creator grants it to the requesters
        keel.platform.access().grant(ALICE, Resource.model(name), "bob", Permission.EDIT);
        keel.platform.access().grant(ALICE, Resource.model(name), "carol", Permission.EDIT);
        if (card) {
            keel.platform.registry().updateModelCard(ALICE, name, 1, SampleCards.complete());
        }
        return name;
    }

    private Stage stage(String name) {
        return keel.platform.registry().getModelVersion(SignedInServer.ADMIN, name, 1).currentStage();
    }

    private static void fails(ThrowingCallable call, ErrorCode code, String... inMessage) {
        var failure = assertThatThrownBy(call).isInstanceOf(KeelException.class)
                .satisfies(e -> assertThat(((KeelException) e).code()).isEqualTo(code));
        for (String text : inMessage) {
            failure.hasMessageContaining(text);
        }
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    @Test
    void a_request_is_made_listed_shown_refused_to_its_requester_and_creator_then_applied() {
        String name = model(true);

        ApprovalRequest request = as("bob").request(null, name, 1, new ApprovalTarget.ToStage(Stage.PRODUCTION));

        assertThat(request.status()).isEqualTo(ApprovalStatus.PENDING);
        assertThat(request.requester()).isEqualTo("bob");
        assertThat(request.tier()).isEqualTo(RiskTier.LOW);
        assertThat(request.requiredApprovals()).isEqualTo(1);
        assertThat(request.checksPassed()).as("%s", request.checks()).isTrue();
        assertThat(request).isEqualTo(embedded.get(SignedInServer.ADMIN, request.id()));
        assertThat(as("erin").get(null, request.id())).isEqualTo(request);
        assertThat(as("erin").list(null, ApprovalStatus.PENDING, name)).containsExactly(request);
        assertThat(as("erin").list(null, ApprovalStatus.APPLIED, name)).isEmpty();

        fails(() -> as("bob").approve(null, request.id(), "mine"), ErrorCode.PERMISSION_DENIED, "approver role");
        fails(() -> as("alice").approve(null, request.id(), "mine"), ErrorCode.PERMISSION_DENIED,
                "'alice' may not approve", "created version 1");
        assertThat(stage(name)).isEqualTo(Stage.NONE);

        ApprovalRequest applied = as("carol").approve(null, request.id(), "card and digests reviewed");

        assertThat(applied.status()).isEqualTo(ApprovalStatus.APPLIED);
        assertThat(applied.decisions()).extracting(Decision::decidedBy, Decision::verdict, Decision::reason)
                .containsExactly(Tuple.tuple("carol", Verdict.APPROVE, "card and digests reviewed"));
        assertThat(applied).isEqualTo(embedded.get(SignedInServer.ADMIN, request.id()));
        assertThat(stage(name)).isEqualTo(Stage.PRODUCTION);
        fails(() -> as("dave").approve(null, request.id(), null), ErrorCode.INVALID_PARAMETER_VALUE, "APPLIED");
    }

    @Test
    void the_requester_holding_the_approver_role_is_refused_with_the_reason() throws Exception {
        String name = model(true);
        ApprovalRequest request = as("carol").request(null, name, 1, new ApprovalTarget.ToStage(Stage.STAGING));

        HttpResponse<String> refused = keel.send("carol", "POST", "/api/v1/approvals/" + request.id() + "/approve",
                "{\"reason\":\"looks fine\"}");

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        assertThat(json(refused).get("error_code").asText()).isEqualTo("PERMISSION_DENIED");
        assertThat(json(refused).get("message").asText()).contains("'carol' may not approve",
                "requester cannot approve");
        fails(() -> as("carol").approve(null, request.id(), "looks fine"), ErrorCode.PERMISSION_DENIED,
                "requester cannot approve");
        assertThat(embedded.get(SignedInServer.ADMIN, request.id()).decisions()).isEmpty();
    }

    @Test
    void a_rejection_is_final_and_an_alias_request_points_the_alias() {
        String name = model(true);
        ApprovalRequest toProduction = as("bob").request(null, name, 1, new ApprovalTarget.ToStage(Stage.PRODUCTION));
        ApprovalRequest toChampion = as("bob").request(null, name, 1, new ApprovalTarget.ToAlias("champion"));

        fails(() -> as("carol").reject(null, toProduction.id(), " "), ErrorCode.INVALID_PARAMETER_VALUE, "'reason'");
        ApprovalRequest rejected = as("carol").reject(null, toProduction.id(), "no fairness evaluation yet");
        ApprovalRequest applied = as("dave").approve(null, toChampion.id(), null);

        assertThat(rejected.status()).isEqualTo(ApprovalStatus.REJECTED);
        assertThat(rejected.decisions()).extracting(Decision::verdict, Decision::reason)
                .containsExactly(Tuple.tuple(Verdict.REJECT, "no fairness evaluation yet"));
        fails(() -> as("dave").approve(null, toProduction.id(), null), ErrorCode.INVALID_PARAMETER_VALUE, "REJECTED");
        assertThat(applied.target()).isEqualTo(new ApprovalTarget.ToAlias("champion"));
        assertThat(applied.status()).isEqualTo(ApprovalStatus.APPLIED);
        assertThat(applied.decisions()).extracting(Decision::reason).containsExactly((String) null);
        assertThat(keel.platform.registry().getVersionByAlias(ALICE, name, "champion").version()).isEqualTo(1);
        assertThat(as("erin").list(null, ApprovalStatus.REJECTED, name)).extracting(ApprovalRequest::id)
                .containsExactly(toProduction.id());
        assertThat(as("erin").list(null, null, name)).extracting(ApprovalRequest::id)
                .containsExactly(toChampion.id(), toProduction.id());
    }

    @Test
    void a_failed_check_is_kept_and_blocks_the_approval_naming_it() {
        String name = model(false);

        ApprovalRequest request = as("bob").request(null, name, 1, new ApprovalTarget.ToStage(Stage.STAGING));

        assertThat(request.checksPassed()).isFalse();
        assertThat(request.failedChecks()).extracting(RecordedCheck::check).anySatisfy(check ->
                assertThat(check).contains("card_sections"));
        fails(() -> as("carol").approve(null, request.id(), null), ErrorCode.BAD_REQUEST, "cannot be approved");
        assertThat(stage(name)).isEqualTo(Stage.NONE);
    }

    @Test
    void the_list_holds_only_requests_on_models_the_caller_may_read() {
        String open = model(true);
        String hidden = model(true);
        // erin, a viewer, holds the default READ everywhere but on the hidden model
        keel.platform.access().grant(ALICE, Resource.model(hidden), "erin", Permission.NO_PERMISSIONS);
        ApprovalRequest visible = as("bob").request(null, open, 1, new ApprovalTarget.ToStage(Stage.STAGING));
        ApprovalRequest invisible = as("bob").request(null, hidden, 1, new ApprovalTarget.ToStage(Stage.STAGING));

        List<Long> listed = as("erin").list(null, ApprovalStatus.PENDING, null).stream().map(ApprovalRequest::id).toList();

        assertThat(listed).contains(visible.id()).doesNotContain(invisible.id());
        assertThat(as("bob").list(null, ApprovalStatus.PENDING, null)).extracting(ApprovalRequest::id)
                .contains(visible.id(), invisible.id());
        fails(() -> as("erin").list(null, null, hidden), ErrorCode.PERMISSION_DENIED);
    }

    @Test
    void viewers_may_read_but_neither_request_nor_decide() {
        String name = model(true);
        ApprovalRequest request = as("bob").request(null, name, 1, new ApprovalTarget.ToStage(Stage.PRODUCTION));

        fails(() -> as("erin").request(null, name, 1, new ApprovalTarget.ToStage(Stage.STAGING)),
                ErrorCode.PERMISSION_DENIED);
        fails(() -> as("erin").approve(null, request.id(), null), ErrorCode.PERMISSION_DENIED, "approver role");
        fails(() -> as("erin").reject(null, request.id(), "no"), ErrorCode.PERMISSION_DENIED, "approver role");
        assertThat(keel.send(null, "GET", "/api/v1/approvals/" + request.id(), null).statusCode()).isEqualTo(401);
    }

    @Test
    void a_bad_request_body_is_a_400_naming_the_field_and_nothing_is_stored() throws Exception {
        String name = model(true);
        Map<String, String> bodies = new LinkedHashMap<>();
        bodies.put("{\"model\":\"" + name + "\",\"version\":1,\"stage\":\"Prod\"}", "'stage'");
        bodies.put("{\"model\":\"" + name + "\",\"version\":1,\"stage\":\"Archived\"}", "'stage'");
        bodies.put("{\"model\":\"" + name + "\",\"version\":1,\"stage\":\"Production\",\"alias\":\"champion\"}", "'alias'");
        bodies.put("{\"model\":\"" + name + "\",\"version\":1}", "'stage'");
        bodies.put("{\"model\":\"" + name + "\",\"version\":1,\"alias\":\"latest\"}", "reserved");
        bodies.put("{\"model\":\"" + name + "\",\"version\":1,\"alias\":\"a b\"}", "alias");
        bodies.put("{\"version\":1,\"stage\":\"Production\"}", "'model'");
        bodies.put("{\"model\":\"a/b\",\"version\":1,\"stage\":\"Production\"}", "model");
        bodies.put("{\"model\":\"" + name + "\",\"stage\":\"Production\"}", "'version'");
        bodies.put("{\"model\":\"" + name + "\",\"version\":\"1\",\"stage\":\"Production\"}", "version");
        bodies.put("{\"model\":\"" + name + "\",\"version\":-3,\"stage\":\"Production\"}", "'version'");
        bodies.put("{\"model\":\"" + name + "\",\"version\":1e400,\"stage\":\"Production\"}", "version");
        bodies.put("{\"model\":\"" + name + "\",\"version\":99999999999999999999999,\"stage\":\"Production\"}", "'version'");
        bodies.put("{\"model\":\"" + name + "\",\"version\":1,\"stage\":[\"Production\"]}", "stage");
        bodies.put("[1,2]", "");
        bodies.put("{\"model\":", "");
        for (Map.Entry<String, String> body : bodies.entrySet()) {
            HttpResponse<String> refused = keel.send("bob", "POST", "/api/v1/approvals", body.getKey());
            assertThat(refused.statusCode()).as(body.getKey() + " → " + refused.body()).isEqualTo(400);
            assertThat(json(refused).get("message").asText()).as(body.getKey()).contains(body.getValue());
        }
        HttpResponse<String> unknownVersion = keel.send("bob", "POST", "/api/v1/approvals",
                "{\"model\":\"" + name + "\",\"version\":7,\"stage\":\"Production\"}");
        assertThat(unknownVersion.statusCode()).as(unknownVersion.body()).isEqualTo(404);
        assertThat(embedded.list(SignedInServer.ADMIN, null, name)).isEmpty();
    }

    @Test
    void bad_ids_statuses_and_reasons_are_refused_without_a_change() throws Exception {
        String name = model(true);
        ApprovalRequest request = as("bob").request(null, name, 1, new ApprovalTarget.ToStage(Stage.PRODUCTION));
        for (String id : List.of("abc", "-1", "0", "1.5", "99999999999999999999999", "%20")) {
            HttpResponse<String> refused = keel.send("carol", "GET", "/api/v1/approvals/" + id, null);
            assertThat(refused.statusCode()).as(id + " → " + refused.body()).isEqualTo(400);
            assertThat(json(refused).get("message").asText()).contains("'id'");
            HttpResponse<String> approval = keel.send("carol", "POST", "/api/v1/approvals/" + id + "/approve", "{}");
            assertThat(approval.statusCode()).as(id + " → " + approval.body()).isEqualTo(400);
        }
        HttpResponse<String> unknown = keel.send("carol", "GET", "/api/v1/approvals/987654321", null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).get("message").asText()).contains("approval request 987654321");
        fails(() -> as("carol").approve(null, 987_654_321, null), ErrorCode.RESOURCE_DOES_NOT_EXIST, "987654321");

        HttpResponse<String> status = keel.send("carol", "GET", "/api/v1/approvals?status=done", null);
        assertThat(status.statusCode()).isEqualTo(400);
        assertThat(json(status).get("message").asText()).contains("'status'");
        HttpResponse<String> model = keel.send("carol", "GET", "/api/v1/approvals?model=a%2Fb", null);
        assertThat(model.statusCode()).isEqualTo(400);
        assertThat(json(model).get("message").asText()).contains("model");

        String path = "/api/v1/approvals/" + request.id();
        HttpResponse<String> longReason = keel.send("carol", "POST", path + "/approve",
                "{\"reason\":\"" + "x".repeat(1001) + "\"}");
        assertThat(longReason.statusCode()).as(longReason.body()).isEqualTo(400);
        assertThat(json(longReason).get("message").asText()).contains("'reason'");
        HttpResponse<String> hugeBody = keel.send("carol", "POST", path + "/reject",
                "{\"reason\":\"" + "x".repeat(2_000_000) + "\"}");
        assertThat(hugeBody.statusCode()).isIn(400, 413);
        HttpResponse<String> noReason = keel.send("carol", "POST", path + "/reject", null);
        assertThat(noReason.statusCode()).as(noReason.body()).isEqualTo(400);
        assertThat(json(noReason).get("message").asText()).contains("'reason'");
        HttpResponse<String> wrongType = keel.send("carol", "POST", path + "/reject", "{\"reason\":42}");
        assertThat(wrongType.statusCode()).as(wrongType.body()).isEqualTo(400);
        assertThat(json(wrongType).get("message").asText()).contains("reason");
        HttpResponse<String> notJson = keel.send("carol", "POST", path + "/approve", "approve it");
        assertThat(notJson.statusCode()).isEqualTo(400);

        ApprovalRequest untouched = embedded.get(SignedInServer.ADMIN, request.id());
        assertThat(untouched.status()).isEqualTo(ApprovalStatus.PENDING);
        assertThat(untouched.decisions()).isEmpty();
        HttpResponse<String> emptyApproval = keel.send("carol", "POST", path + "/approve", null);
        assertThat(emptyApproval.statusCode()).as(emptyApproval.body()).isEqualTo(200);
        assertThat(json(emptyApproval).get("status").asText()).isEqualTo("APPLIED");
        assertThat(json(emptyApproval).at("/target/kind").asText()).isEqualTo("stage");
        assertThat(json(emptyApproval).at("/target/value").asText()).isEqualTo("Production");
        assertThat(json(emptyApproval).get("checks_passed").asBoolean()).isTrue();
    }
}
