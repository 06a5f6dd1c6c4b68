package dev.keel.server.contract;

import dev.keel.api.approval.ApprovalRequest;
import dev.keel.api.approval.ApprovalService;
import dev.keel.api.approval.ApprovalStatus;
import dev.keel.api.approval.ApprovalTarget;
import dev.keel.api.approval.Decision;
import dev.keel.api.approval.EvaluationSet;
import dev.keel.api.approval.RecordedCheck;
import dev.keel.api.approval.Verdict;
import dev.keel.api.audit.AuditEvent;
import dev.keel.api.registry.ModelVersion;
import dev.keel.api.registry.NewRegisteredModel;
import dev.keel.api.registry.RegistryService;
import dev.keel.api.registry.RiskTier;
import dev.keel.api.registry.Stage;
import dev.keel.core.Actor;
import dev.keel.core.ErrorCode;
import dev.keel.core.Permission;
import dev.keel.core.Resource;
import dev.keel.core.Role;
import dev.keel.registry.TrainedModel;
import dev.keel.registry.approval.ApprovalPolicy;
import dev.keel.registry.card.SampleCards;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.keel.store.Failures.assertFails;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What approval gates promise, run on every {@link Backend}, with sign-in required and the real
 * access control deciding who may: request, the checks run at once and kept, segregation of
 * duties, the approver role, two approvers for a high tier, apply and reject, the gate refusing
 * direct promotions, and a list that holds only what the caller may read. Over HTTP every answer
 * equals what the platform holds, and every refusal arrives with the service's code and reason;
 * the raw REST answers (status codes, their JSON) are checked there too. Each test makes its own
 * model, so the suite shares one platform; the audit events are read from the platform's trail.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class ApprovalsContract extends ContractSuite {
    /**
     * The low tier as Keel ships it (a written card's model details and intended use, digests
     * verified, one approver); medium and high narrowed to the checks a test wants to see pass or
     * fail alone.
     */
    static final String POLICY = """
            gate:
              enabled: true
              protected_aliases: [champion]
            tiers:
              low:
                approvers: 1
                checks:
                  - card_sections: [model_details, intended_use]
                  - digests_verified
              medium:
                approvers: 1
                checks:
                  - metric: "metrics.auc >= 0.8"
                  - digests_verified
              high:
                approvers: 2
                checks: [signature_present, digests_verified]
            """;

    /** Low risk needs a fair evaluation set: selection rates by home ownership at most 0.1 apart. */
    static final String FAIRNESS_POLICY = """
            gate:
              enabled: true
            tiers:
              low:
                approvers: 1
                checks:
                  - fairness: {metric: demographic_parity_difference, attribute: home_ownership, max: 0.1}
                  - digests_verified
              medium:
                approvers: 1
              high:
                approvers: 2
            """;

    private static final Actor ALICE = new Actor("alice");  // registers the versions, so may not approve them
    private static final Actor BOB = new Actor("bob");      // a member who requests
    private static final Actor CAROL = new Actor("carol");  // an approver
    private static final Actor DAVE = new Actor("dave");    // another approver
    private static final Actor ERIN = new Actor("erin");    // a viewer
    private static final Actor ADMIN = Deployment.ADMIN;

    @TempDir
    Path temp;

    @Override
    protected Deployment.Setup setup() {
        Map<String, Role> users = new LinkedHashMap<>();
        users.put(ALICE.name(), Role.APPROVER);
        users.put(BOB.name(), Role.MEMBER);
        users.put(CAROL.name(), Role.APPROVER);
        users.put(DAVE.name(), Role.APPROVER);
        users.put(ERIN.name(), Role.VIEWER);
        return Deployment.Setup.signedIn(users).withPolicy(ApprovalPolicy.parse("test-policy.yaml", POLICY));
    }

    // helpers

    private ApprovalService approvals(Actor who) {
        return deployment().as(who.name()).approvals();
    }

    private RegistryService registry(Actor who) {
        return deployment().as(who.name()).registry();
    }

    /** Version 1 of a new model of {@code tier} on this suite's platform: see {@link #model(Deployment, RiskTier, boolean)}. */
    private String model(RiskTier tier, boolean card) throws IOException {
        return model(deployment(), tier, card);
    }

    /**
     * Version 1 of a new model of {@code tier}, registered by alice from a directory holding an
     * ONNX model, with its card written when {@code card}; bob and carol may request on it.
     */
    private String model(Deployment on, RiskTier tier, boolean card) throws IOException {
        String name = "credit-" + UUID.randomUUID().toString().substring(0, 8);
        on.as(ALICE.name()).registry().createRegisteredModel(ALICE, new NewRegisteredModel(name, null, tier, List.of()));
        newVersion(on, name, card);
        // requesting an approval needs EDIT on the model: its creator grants it to the requesters
        on.as(ALICE.name()).access().grant(ALICE, Resource.model(name), BOB.name(), Permission.EDIT);
        on.as(ALICE.name()).access().grant(ALICE, Resource.model(name), CAROL.name(), Permission.EDIT);
        return name;
    }

    /** The next version of {@code name}, registered by alice from a directory holding an ONNX model. */
    private long newVersion(Deployment on, String name, boolean card) throws IOException {
        Path files = Files.createDirectories(temp.resolve(UUID.randomUUID().toString()));
        Files.write(files.resolve("model.onnx"), TrainedModel.onnx());
        RegistryService registry = on.as(ALICE.name()).registry();
        long version = registry.createModelVersionFromDirectory(ALICE, name, files, null, List.of()).version();
        if (card) {
            registry.updateModelCard(ALICE, name, version, SampleCards.complete());
        }
        return version;
    }

    private ApprovalRequest production(String name) {
        return approvals(BOB).request(BOB, name, 1, new ApprovalTarget.ToStage(Stage.PRODUCTION));
    }

    private ModelVersion version(String name, long version) {
        return registry(ALICE).getModelVersion(ALICE, name, version);
    }

    private Stage stage(String name) {
        return version(name, 1).currentStage();
    }

    /** A request bob has just made: pending, of the model's {@code tier}, needing that tier's {@code approvals}. */
    private static void assertPendingFromBob(ApprovalRequest request, RiskTier tier, int approvals) {
        assertThat(request.status()).isEqualTo(ApprovalStatus.PENDING);
        assertThat(request.requester()).isEqualTo("bob");
        assertThat(request.tier()).isEqualTo(tier);
        assertThat(request.requiredApprovals()).isEqualTo(approvals);
    }

    /** A viewer reads the not yet applied {@code request} as it is, and lists it among {@code name}'s requests in {@code status}. */
    private void assertSeenByAViewer(ApprovalRequest request, ApprovalStatus status, String name) {
        assertThat(approvals(ERIN).get(ERIN, request.id())).isEqualTo(request);
        assertThat(approvals(ERIN).list(ERIN, status, name)).containsExactly(request);
        assertThat(approvals(ERIN).list(ERIN, ApprovalStatus.APPLIED, name)).isEmpty();
    }

    /** The audit events about {@code name} and what lies under it (its versions, their requests), oldest first. */
    private static List<AuditEvent> audited(Deployment on, String name) {
        return on.platform().auditTrail().latest("model/" + name, 1000);
    }

    /** Who did what to which resource. */
    private static String line(AuditEvent event) {
        return event.actor() + " " + event.action() + " " + event.resource();
    }

    // requests, checks and decisions

    @Test
    void a_request_runs_the_checks_now_and_keeps_their_results() throws IOException {
        String name = model(RiskTier.HIGH, false);

        ApprovalRequest request = production(name);

        assertPendingFromBob(request, RiskTier.HIGH, 2);
        assertThat(request.target()).isEqualTo(new ApprovalTarget.ToStage(Stage.PRODUCTION));
        assertThat(request.checks()).extracting(RecordedCheck::check, RecordedCheck::passed)
                .containsExactly(Tuple.tuple("signature_present", true), Tuple.tuple("digests_verified", true));
        assertThat(request.checks().get(1).detail()).contains("1 file match");
        assertSeenByAViewer(request, null, name);
        assertThat(audited(deployment(), name)).extracting(ApprovalsContract::line)
                .contains("bob approval.request model/" + name + "/version/1/approval/" + request.id());
    }

    @Test
    void a_request_is_made_listed_shown_refused_to_its_requester_and_creator_then_applied() throws IOException {
        String name = model(RiskTier.LOW, true);

        ApprovalRequest request = production(name);

        assertPendingFromBob(request, RiskTier.LOW, 1);
        assertThat(request.checksPassed()).as("%s", request.checks()).isTrue();
        assertThat(request).isEqualTo(deployment().platform().approvals().get(ADMIN, request.id()));
        assertSeenByAViewer(request, ApprovalStatus.PENDING, name);

        assertFails(() -> approvals(BOB).approve(BOB, request.id(), "mine"), ErrorCode.PERMISSION_DENIED, "approver role");
        assertFails(() -> approvals(ALICE).approve(ALICE, request.id(), "mine"), ErrorCode.PERMISSION_DENIED,
                "'alice' may not approve", "created version 1");
        assertThat(stage(name)).isEqualTo(Stage.NONE);

        ApprovalRequest applied = approvals(CAROL).approve(CAROL, request.id(), "card and digests reviewed");

        assertThat(applied.status()).isEqualTo(ApprovalStatus.APPLIED);
        assertThat(applied.decisions()).extracting(Decision::decidedBy, Decision::verdict, Decision::reason)
                .containsExactly(Tuple.tuple("carol", Verdict.APPROVE, "card and digests reviewed"));
        assertThat(applied).isEqualTo(deployment().platform().approvals().get(ADMIN, request.id()));
        assertThat(stage(name)).isEqualTo(Stage.PRODUCTION);
        assertFails(() -> approvals(DAVE).approve(DAVE, request.id(), null), ErrorCode.INVALID_PARAMETER_VALUE, "APPLIED");
    }

    @Test
    void the_requester_cannot_approve_their_own_request() throws IOException {
        String name = model(RiskTier.LOW, true);
        ApprovalRequest request = approvals(CAROL).request(CAROL, name, 1, new ApprovalTarget.ToStage(Stage.STAGING));

        assertFails(() -> approvals(CAROL).approve(CAROL, request.id(), "looks fine"), ErrorCode.PERMISSION_DENIED,
                "'carol'", "requester cannot approve");
        assertThat(approvals(CAROL).get(CAROL, request.id()).decisions()).isEmpty();
        assertThat(stage(name)).isEqualTo(Stage.NONE);
    }

    @Test
    void the_requester_holding_the_approver_role_is_refused_with_the_reason() throws IOException {
        String name = model(RiskTier.LOW, true);
        ApprovalRequest request = approvals(CAROL).request(CAROL, name, 1, new ApprovalTarget.ToStage(Stage.STAGING));

        if (backend.http()) {
            HttpResponse<String> refused = deployment().send("carol", "POST",
                    "/api/v1/approvals/" + request.id() + "/approve", "{\"reason\":\"looks fine\"}");
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
            assertThat(json(refused).get("error_code").asText()).isEqualTo("PERMISSION_DENIED");
            assertThat(json(refused).get("message").asText()).contains("'carol' may not approve", "requester cannot approve");
        }
        assertFails(() -> approvals(CAROL).approve(CAROL, request.id(), "looks fine"), ErrorCode.PERMISSION_DENIED,
                "requester cannot approve");
        assertThat(deployment().platform().approvals().get(ADMIN, request.id()).decisions()).isEmpty();
    }

    @Test
    void the_versions_creator_cannot_approve_it() throws IOException {
        String name = model(RiskTier.LOW, true);
        ApprovalRequest request = production(name);

        assertFails(() -> approvals(ALICE).approve(ALICE, request.id(), null), ErrorCode.PERMISSION_DENIED,
                "'alice'", "created version 1");
        assertThat(approvals(ALICE).get(ALICE, request.id()).status()).isEqualTo(ApprovalStatus.PENDING);
    }

    @Test
    void approving_needs_the_approver_role() throws IOException {
        String name = model(RiskTier.LOW, true);
        ApprovalRequest request = production(name);

        assertFails(() -> approvals(ERIN).approve(ERIN, request.id(), null), ErrorCode.PERMISSION_DENIED, "approver role");
        assertFails(() -> approvals(BOB).approve(BOB, request.id(), null), ErrorCode.PERMISSION_DENIED, "approver role");
        assertFails(() -> approvals(BOB).reject(BOB, request.id(), "no"), ErrorCode.PERMISSION_DENIED, "approver role");
        // the access control names what the viewer holds (READ at most) and what requesting needs
        assertFails(() -> approvals(ERIN).request(ERIN, name, 1, new ApprovalTarget.ToStage(Stage.STAGING)),
                ErrorCode.PERMISSION_DENIED, "'erin' holds READ", "needs EDIT");
        assertThat(approvals(ADMIN).approve(ADMIN, request.id(), "admin holds every role").status())
                .isEqualTo(ApprovalStatus.APPLIED);
    }

    @Test
    void viewers_may_read_but_neither_request_nor_decide() throws IOException {
        String name = model(RiskTier.LOW, true);
        ApprovalRequest request = production(name);

        assertFails(() -> approvals(ERIN).request(ERIN, name, 1, new ApprovalTarget.ToStage(Stage.STAGING)),
                ErrorCode.PERMISSION_DENIED);
        assertFails(() -> approvals(ERIN).approve(ERIN, request.id(), null), ErrorCode.PERMISSION_DENIED, "approver role");
        assertFails(() -> approvals(ERIN).reject(ERIN, request.id(), "no"), ErrorCode.PERMISSION_DENIED, "approver role");
        if (backend.http()) {
            assertThat(deployment().send(null, "GET", "/api/v1/approvals/" + request.id(), null).statusCode()).isEqualTo(401);
        }
    }

    @Test
    void a_high_tier_needs_two_different_approvers_then_the_stage_changes() throws IOException {
        String name = model(RiskTier.HIGH, false);
        ApprovalRequest request = production(name);

        ApprovalRequest once = approvals(CAROL).approve(CAROL, request.id(), "metrics reviewed");
        assertThat(once.status()).isEqualTo(ApprovalStatus.PENDING);
        assertThat(stage(name)).isEqualTo(Stage.NONE);
        assertFails(() -> approvals(CAROL).approve(CAROL, request.id(), "again"), ErrorCode.PERMISSION_DENIED,
                "different person");

        ApprovalRequest twice = approvals(DAVE).approve(DAVE, request.id(), "card reviewed");

        assertThat(twice.status()).isEqualTo(ApprovalStatus.APPLIED);
        assertThat(twice.decisions()).extracting(Decision::decidedBy, Decision::verdict, Decision::reason)
                .containsExactly(Tuple.tuple("carol", Verdict.APPROVE, "metrics reviewed"),
                        Tuple.tuple("dave", Verdict.APPROVE, "card reviewed"));
        assertThat(twice.decisions()).allSatisfy(d -> assertThat(d.decidedTime()).isPositive());
        assertThat(stage(name)).isEqualTo(Stage.PRODUCTION);
        String resource = "model/" + name + "/version/1";
        assertThat(audited(deployment(), name)).extracting(ApprovalsContract::line).containsSubsequence(
                "carol approval.approve " + resource + "/approval/" + request.id(),
                "dave approval.approve " + resource + "/approval/" + request.id(),
                "dave model_version.transition_stage " + resource,
                "dave approval.apply " + resource + "/approval/" + request.id());
        assertFails(() -> approvals(ADMIN).approve(ADMIN, request.id(), null), ErrorCode.INVALID_PARAMETER_VALUE, "APPLIED");
    }

    @Test
    void a_failed_check_keeps_the_request_but_blocks_its_approval() throws IOException {
        String name = model(RiskTier.MEDIUM, false);

        ApprovalRequest request = production(name);

        assertThat(request.checksPassed()).isFalse();
        assertThat(request.failedChecks()).extracting(RecordedCheck::check).containsExactly("metrics.auc >= 0.8");
        assertFails(() -> approvals(CAROL).approve(CAROL, request.id(), null), ErrorCode.BAD_REQUEST,
                "cannot be approved", "metrics.auc");
        assertThat(approvals(CAROL).get(CAROL, request.id()).status()).isEqualTo(ApprovalStatus.PENDING);
        assertThat(stage(name)).isEqualTo(Stage.NONE);
    }

    @Test
    void a_failed_check_is_kept_and_blocks_the_approval_naming_it() throws IOException {
        String name = model(RiskTier.LOW, false);

        ApprovalRequest request = approvals(BOB).request(BOB, name, 1, new ApprovalTarget.ToStage(Stage.STAGING));

        assertThat(request.checksPassed()).isFalse();
        assertThat(request.failedChecks()).extracting(RecordedCheck::check).anySatisfy(check ->
                assertThat(check).contains("card_sections"));
        assertFails(() -> approvals(CAROL).approve(CAROL, request.id(), null), ErrorCode.BAD_REQUEST, "cannot be approved");
        assertThat(stage(name)).isEqualTo(Stage.NONE);
    }

    @Test
    void an_approved_alias_request_points_the_protected_alias() throws IOException {
        String name = model(RiskTier.LOW, true);
        ApprovalRequest request = approvals(BOB).request(BOB, name, 1, new ApprovalTarget.ToAlias("champion"));

        assertThat(approvals(CAROL).approve(CAROL, request.id(), "ok").status()).isEqualTo(ApprovalStatus.APPLIED);

        assertThat(registry(BOB).getVersionByAlias(BOB, name, "champion").version()).isEqualTo(1);
    }

    @Test
    void a_rejection_is_final_and_needs_a_reason() throws IOException {
        String name = model(RiskTier.LOW, true);
        ApprovalRequest request = production(name);

        assertFails(() -> approvals(CAROL).reject(CAROL, request.id(), " "), ErrorCode.INVALID_PARAMETER_VALUE, "'reason'");
        ApprovalRequest rejected = approvals(CAROL).reject(CAROL, request.id(), "no fairness evaluation yet");

        assertThat(rejected.status()).isEqualTo(ApprovalStatus.REJECTED);
        assertThat(rejected.decisions()).extracting(Decision::decidedBy, Decision::verdict, Decision::reason)
                .containsExactly(Tuple.tuple("carol", Verdict.REJECT, "no fairness evaluation yet"));
        assertFails(() -> approvals(DAVE).approve(DAVE, request.id(), null), ErrorCode.INVALID_PARAMETER_VALUE, "REJECTED");
        assertThat(stage(name)).isEqualTo(Stage.NONE);
        assertThat(approvals(CAROL).list(CAROL, ApprovalStatus.REJECTED, name)).extracting(ApprovalRequest::id)
                .containsExactly(request.id());
    }

    @Test
    void a_rejection_is_final_and_an_alias_request_points_the_alias() throws IOException {
        String name = model(RiskTier.LOW, true);
        ApprovalRequest toProduction = production(name);
        ApprovalRequest toChampion = approvals(BOB).request(BOB, name, 1, new ApprovalTarget.ToAlias("champion"));

        assertFails(() -> approvals(CAROL).reject(CAROL, toProduction.id(), " "), ErrorCode.INVALID_PARAMETER_VALUE,
                "'reason'");
        ApprovalRequest rejected = approvals(CAROL).reject(CAROL, toProduction.id(), "no fairness evaluation yet");
        ApprovalRequest applied = approvals(DAVE).approve(DAVE, toChampion.id(), null);

        assertThat(rejected.status()).isEqualTo(ApprovalStatus.REJECTED);
        assertThat(rejected.decisions()).extracting(Decision::verdict, Decision::reason)
                .containsExactly(Tuple.tuple(Verdict.REJECT, "no fairness evaluation yet"));
        assertFails(() -> approvals(DAVE).approve(DAVE, toProduction.id(), null), ErrorCode.INVALID_PARAMETER_VALUE,
                "REJECTED");
        assertThat(applied.target()).isEqualTo(new ApprovalTarget.ToAlias("champion"));
        assertThat(applied.status()).isEqualTo(ApprovalStatus.APPLIED);
        assertThat(applied.decisions()).extracting(Decision::reason).containsExactly((String) null);
        assertThat(registry(ALICE).getVersionByAlias(ALICE, name, "champion").version()).isEqualTo(1);
        assertThat(approvals(ERIN).list(ERIN, ApprovalStatus.REJECTED, name)).extracting(ApprovalRequest::id)
                .containsExactly(toProduction.id());
        assertThat(approvals(ERIN).list(ERIN, null, name)).extracting(ApprovalRequest::id)
                .containsExactly(toChampion.id(), toProduction.id());
    }

    @Test
    void with_the_gate_on_direct_promotions_are_refused_and_point_to_a_request() throws IOException {
        String name = model(RiskTier.LOW, true);

        assertFails(() -> registry(ALICE).transitionStage(ALICE, name, 1, Stage.PRODUCTION, false),
                ErrorCode.PERMISSION_DENIED, "needs an approval", "keel approvals request " + name + " 1 --stage Production");
        assertFails(() -> registry(ALICE).setAlias(ALICE, name, "champion", 1), ErrorCode.PERMISSION_DENIED,
                "needs an approval", "--alias champion");
        registry(ALICE).setAlias(ALICE, name, "challenger", 1);
        assertThat(registry(ALICE).transitionStage(ALICE, name, 1, Stage.ARCHIVED, false).currentStage())
                .isEqualTo(Stage.ARCHIVED);
    }

    @Test
    void an_approved_stage_request_archives_the_versions_already_there_only_when_asked() throws IOException {
        String name = model(RiskTier.LOW, true);
        newVersion(deployment(), name, true);
        newVersion(deployment(), name, true);
        for (long v = 1; v <= 2; v++) {
            ApprovalRequest plain = approvals(BOB).request(BOB, name, v, new ApprovalTarget.ToStage(Stage.PRODUCTION));
            approvals(CAROL).approve(CAROL, plain.id(), "ok");
        }
        assertThat(version(name, 1).currentStage()).isEqualTo(Stage.PRODUCTION);
        assertThat(version(name, 2).currentStage()).isEqualTo(Stage.PRODUCTION);

        ApprovalRequest archiving = approvals(BOB).request(BOB, name, 3, new ApprovalTarget.ToStage(Stage.PRODUCTION, true));
        assertThat(approvals(ERIN).get(ERIN, archiving.id()).target())
                .isEqualTo(new ApprovalTarget.ToStage(Stage.PRODUCTION, true));
        assertThat(archiving.target().describe()).isEqualTo("stage Production, archiving the versions already in Production");
        assertThat(version(name, 1).currentStage()).isEqualTo(Stage.PRODUCTION);

        approvals(CAROL).approve(CAROL, archiving.id(), "replaces both");

        assertThat(version(name, 3).currentStage()).isEqualTo(Stage.PRODUCTION);
        assertThat(version(name, 1).currentStage()).isEqualTo(Stage.ARCHIVED);
        assertThat(version(name, 2).currentStage()).isEqualTo(Stage.ARCHIVED);
        assertThat(audited(deployment(), name))
                .filteredOn(event -> event.action().equals("model_version.transition_stage")
                        && event.resource().equals("model/" + name + "/version/3"))
                .extracting(event -> json(event.summary()))
                .contains(json("{\"stage\":\"Production\",\"archive_existing_versions\":true,\"approval\":"
                        + archiving.id() + "}"));
        assertFails(() -> ApprovalTarget.of("alias", "champion", true), ErrorCode.INVALID_PARAMETER_VALUE,
                "'archive_existing_versions' applies only to a stage request");
    }

    @Test
    void the_list_holds_only_requests_on_models_the_caller_may_read() throws IOException {
        String open = model(RiskTier.LOW, true);
        String hidden = model(RiskTier.LOW, true);
        // erin, a viewer, holds the default READ everywhere but on the hidden model
        deployment().as(ALICE.name()).access().grant(ALICE, Resource.model(hidden), ERIN.name(), Permission.NO_PERMISSIONS);
        ApprovalRequest visible = approvals(BOB).request(BOB, open, 1, new ApprovalTarget.ToStage(Stage.STAGING));
        ApprovalRequest invisible = approvals(BOB).request(BOB, hidden, 1, new ApprovalTarget.ToStage(Stage.STAGING));

        List<Long> listed = approvals(ERIN).list(ERIN, ApprovalStatus.PENDING, null).stream().map(ApprovalRequest::id)
                .toList();

        assertThat(listed).contains(visible.id()).doesNotContain(invisible.id());
        assertThat(approvals(BOB).list(BOB, ApprovalStatus.PENDING, null)).extracting(ApprovalRequest::id)
                .contains(visible.id(), invisible.id());
        assertFails(() -> approvals(ERIN).list(ERIN, null, hidden), ErrorCode.PERMISSION_DENIED);
    }

    // fairness, under a policy of its own

    /** Eight applicants, four owners and four renters, with {@code ownersSelected} and {@code rentersSelected} predicted positive. */
    private static EvaluationSet applicants(int ownersSelected, int rentersSelected) {
        List<Boolean> predicted = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            predicted.add(i < ownersSelected);
        }
        for (int i = 0; i < 4; i++) {
            predicted.add(i < rentersSelected);
        }
        return new EvaluationSet(predicted, List.of(true, true, false, false, true, true, false, false),
                Map.of("home_ownership", List.of("own", "own", "own", "own", "rent", "rent", "rent", "rent")));
    }

    @Test
    void a_fairness_check_reads_the_recorded_evaluation_set_passing_a_fair_one_and_failing_a_biased_one_with_its_figures()
            throws IOException {
        try (Deployment fairly = Deployment.open(backend,
                setup().withPolicy(ApprovalPolicy.parse("fairness-policy.yaml", FAIRNESS_POLICY)))) {
            ApprovalService bobs = fairly.as(BOB.name()).approvals();
            ApprovalService carols = fairly.as(CAROL.name()).approvals();
            RegistryService registry = fairly.as(ALICE.name()).registry();
            String name = model(fairly, RiskTier.LOW, false);
            ApprovalTarget staging = new ApprovalTarget.ToStage(Stage.STAGING);

            ApprovalRequest none = bobs.request(BOB, name, 1, staging);
            assertThat(none.failedChecks()).extracting(RecordedCheck::detail).containsExactly("demographic parity "
                    + "difference for home_ownership cannot be computed: no evaluation set recorded for version 1 of '"
                    + name + "': failed");

            registry.setEvaluationSet(ALICE, name, 1, applicants(3, 1));
            ApprovalRequest biased = bobs.request(BOB, name, 1, staging);
            assertThat(biased.checksPassed()).isFalse();
            assertThat(biased.failedChecks()).extracting(RecordedCheck::detail).containsExactly("demographic parity "
                    + "difference for home_ownership = 0.5 > 0.1 (selection rate own 0.75, rent 0.25): failed");
            assertFails(() -> carols.approve(CAROL, biased.id(), null), ErrorCode.BAD_REQUEST, "0.5 > 0.1");

            String fairSha = registry.setEvaluationSet(ALICE, name, 1, applicants(2, 2)).sha256();
            ApprovalRequest fair = bobs.request(BOB, name, 1, staging);
            assertThat(fair.checks().get(0)).isEqualTo(new RecordedCheck(
                    "fairness: demographic_parity_difference of home_ownership, max 0.1", true,
                    "demographic parity difference for home_ownership = 0 ≤ 0.1 (selection rate own 0.5, rent 0.5): passed"));
            assertThat(audited(fairly, name)).anyMatch(event -> event.action().equals("approval.request")
                    && event.resource().equals("model/" + name + "/version/1/approval/" + fair.id())
                    && event.summary().contains(fairSha));
            assertThat(carols.approve(CAROL, fair.id(), "fair enough").status()).isEqualTo(ApprovalStatus.APPLIED);
            assertThat(registry.getModelVersion(ALICE, name, 1).currentStage()).isEqualTo(Stage.STAGING);
        }
    }

    // bad input

    @Test
    void bad_requests_are_refused_naming_what_was_wrong() throws IOException {
        String name = model(RiskTier.LOW, true);

        assertFails(() -> approvals(BOB).request(BOB, name, 7, new ApprovalTarget.ToStage(Stage.PRODUCTION)),
                ErrorCode.RESOURCE_DOES_NOT_EXIST, "version 7");
        assertFails(() -> new ApprovalTarget.ToStage(Stage.ARCHIVED), ErrorCode.INVALID_PARAMETER_VALUE,
                "Staging or Production");
        assertFails(() -> ApprovalTarget.of("stage", "Prod"), ErrorCode.INVALID_PARAMETER_VALUE, "invalid stage 'Prod'");
        assertFails(() -> new ApprovalTarget.ToAlias("latest"), ErrorCode.INVALID_PARAMETER_VALUE, "reserved");
        assertFails(() -> approvals(BOB).get(BOB, 999_999), ErrorCode.RESOURCE_DOES_NOT_EXIST, "approval request 999999");
        assertFails(() -> approvals(CAROL).approve(CAROL, 999_999, null), ErrorCode.RESOURCE_DOES_NOT_EXIST, "999999");
        assertFails(() -> ApprovalStatus.parse("done"), ErrorCode.INVALID_PARAMETER_VALUE, "'status'");
    }

    @Test
    void a_bad_request_body_is_a_400_naming_the_field_and_nothing_is_stored() throws IOException {
        assumeTrue(backend.http(), "request bodies are parsed by the server");
        String name = model(RiskTier.LOW, true);
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
            HttpResponse<String> refused = deployment().send("bob", "POST", "/api/v1/approvals", body.getKey());
            assertThat(refused.statusCode()).as(body.getKey() + " → " + refused.body()).isEqualTo(400);
            assertThat(json(refused).get("message").asText()).as(body.getKey()).contains(body.getValue());
        }
        HttpResponse<String> unknownVersion = deployment().send("bob", "POST", "/api/v1/approvals",
                "{\"model\":\"" + name + "\",\"version\":7,\"stage\":\"Production\"}");
        assertThat(unknownVersion.statusCode()).as(unknownVersion.body()).isEqualTo(404);
        assertThat(deployment().platform().approvals().list(ADMIN, null, name)).isEmpty();
    }

    @Test
    void bad_ids_statuses_and_reasons_are_refused_without_a_change() throws IOException {
        String name = model(RiskTier.LOW, true);
        ApprovalRequest request = production(name);
        String path = "/api/v1/approvals/" + request.id();
        if (backend.http()) {
            for (String id : List.of("abc", "-1", "0", "1.5", "99999999999999999999999", "%20")) {
                HttpResponse<String> refused = deployment().send("carol", "GET", "/api/v1/approvals/" + id, null);
                assertThat(refused.statusCode()).as(id + " → " + refused.body()).isEqualTo(400);
                assertThat(json(refused).get("message").asText()).contains("'id'");
                HttpResponse<String> approval = deployment().send("carol", "POST", "/api/v1/approvals/" + id + "/approve",
                        "{}");
                assertThat(approval.statusCode()).as(id + " → " + approval.body()).isEqualTo(400);
            }
            HttpResponse<String> unknown = deployment().send("carol", "GET", "/api/v1/approvals/987654321", null);
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(json(unknown).get("message").asText()).contains("approval request 987654321");

            HttpResponse<String> status = deployment().send("carol", "GET", "/api/v1/approvals?status=done", null);
            assertThat(status.statusCode()).isEqualTo(400);
            assertThat(json(status).get("message").asText()).contains("'status'");
            HttpResponse<String> model = deployment().send("carol", "GET", "/api/v1/approvals?model=a%2Fb", null);
            assertThat(model.statusCode()).isEqualTo(400);
            assertThat(json(model).get("message").asText()).contains("model");

            HttpResponse<String> longReason = deployment().send("carol", "POST", path + "/approve",
                    "{\"reason\":\"" + "x".repeat(1001) + "\"}");
            assertThat(longReason.statusCode()).as(longReason.body()).isEqualTo(400);
            assertThat(json(longReason).get("message").asText()).contains("'reason'");
            HttpResponse<String> hugeBody = deployment().send("carol", "POST", path + "/reject",
                    "{\"reason\":\"" + "x".repeat(2_000_000) + "\"}");
            assertThat(hugeBody.statusCode()).isIn(400, 413);
            HttpResponse<String> noReason = deployment().send("carol", "POST", path + "/reject", null);
            assertThat(noReason.statusCode()).as(noReason.body()).isEqualTo(400);
            assertThat(json(noReason).get("message").asText()).contains("'reason'");
            HttpResponse<String> wrongType = deployment().send("carol", "POST", path + "/reject", "{\"reason\":42}");
            assertThat(wrongType.statusCode()).as(wrongType.body()).isEqualTo(400);
            assertThat(json(wrongType).get("message").asText()).contains("reason");
            HttpResponse<String> notJson = deployment().send("carol", "POST", path + "/approve", "approve it");
            assertThat(notJson.statusCode()).isEqualTo(400);
        }
        assertFails(() -> approvals(CAROL).approve(CAROL, 987_654_321, null), ErrorCode.RESOURCE_DOES_NOT_EXIST,
                "987654321");

        ApprovalRequest untouched = deployment().platform().approvals().get(ADMIN, request.id());
        assertThat(untouched.status()).isEqualTo(ApprovalStatus.PENDING);
        assertThat(untouched.decisions()).isEmpty();
        if (backend.http()) {
            HttpResponse<String> emptyApproval = deployment().send("carol", "POST", path + "/approve", null);
            assertThat(emptyApproval.statusCode()).as(emptyApproval.body()).isEqualTo(200);
            assertThat(json(emptyApproval).get("status").asText()).isEqualTo("APPLIED");
            assertThat(json(emptyApproval).at("/target/kind").asText()).isEqualTo("stage");
            assertThat(json(emptyApproval).at("/target/value").asText()).isEqualTo("Production");
            assertThat(json(emptyApproval).get("checks_passed").asBoolean()).isTrue();
        }
    }
}
