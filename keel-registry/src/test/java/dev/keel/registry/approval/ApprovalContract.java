package dev.keel.registry.approval;

import dev.keel.api.approval.ApprovalRequest;
import dev.keel.api.approval.ApprovalService;
import dev.keel.api.approval.ApprovalStatus;
import dev.keel.api.approval.ApprovalTarget;
import dev.keel.api.approval.Decision;
import dev.keel.api.approval.EvaluationSet;
import dev.keel.api.approval.RecordedCheck;
import dev.keel.api.approval.Verdict;
import dev.keel.api.registry.ModelVersion;
import dev.keel.api.registry.NewRegisteredModel;
import dev.keel.api.registry.RegistryService;
import dev.keel.api.registry.RiskTier;
import dev.keel.api.registry.Stage;
import dev.keel.api.tracking.TrackingService;
import dev.keel.core.Actor;
import dev.keel.core.AuditLog;
import dev.keel.core.ErrorCode;
import dev.keel.core.Ids;
import dev.keel.core.KeelException;
import dev.keel.core.Role;
import dev.keel.registry.EmbeddedRegistryService;
import dev.keel.registry.TrainedModel;
import dev.keel.store.Database;
import dev.keel.store.LocalArtifactStore;
import dev.keel.tracking.EmbeddedTrackingService;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Approval gates on the embedded services, with the gate on: request, checks, segregation of
 * duties, the approver role, two approvers for a high tier, apply and reject. Each storage
 * subclass gives the database; every test makes its own model.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ApprovalContract {
    static final String POLICY = """
            gate:
              enabled: true
              protected_aliases: [champion]
            tiers:
              low:
                approvers: 1
                checks: [digests_verified]
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

    private final Actor alice = new Actor("alice");     // creates models and versions; also an approver
    private final Actor bob = new Actor("bob");         // a member who requests
    private final Actor carol = new Actor("carol");     // an approver
    private final Actor dave = new Actor("dave");       // another approver
    private final Actor erin = new Actor("erin");       // a viewer
    private final Actor root = new Actor("root");       // an admin

    private final List<String> events = Collections.synchronizedList(new ArrayList<>());
    /** The same events with their summaries. */
    private final List<String> summaries = Collections.synchronizedList(new ArrayList<>());
    private Database database;
    private RegistryService registry;
    private ApprovalService approvals;
    /** Approvals under {@link #FAIRNESS_POLICY}, on the same store. */
    private ApprovalService fairApprovals;
    private Path dir;

    /** A fresh database for this class; null skips it (no PostgreSQL configured). */
    protected abstract Database open(Path dir) throws IOException;

    protected abstract void close(Database database);

    @BeforeAll
    void start() throws IOException {
        dir = Files.createTempDirectory("keel-approvals");
        database = open(dir);
        LocalArtifactStore artifacts = new LocalArtifactStore(dir.resolve("artifacts"));
        RoleAuthorizer authorizer = new RoleAuthorizer(Map.of(
                "alice", Set.of(Role.MEMBER, Role.APPROVER), "bob", Set.of(Role.MEMBER),
                "carol", Set.of(Role.APPROVER), "dave", Set.of(Role.APPROVER), "erin", Set.of(Role.VIEWER),
                "root", Set.of(Role.ADMIN)));
        AuditLog audit = (tx, actor, action, resource, summary) -> {
            events.add(actor.name() + " " + action + " " + resource);
            summaries.add(action + " " + resource + " " + summary);
        };
        ApprovalPolicy policy = ApprovalPolicy.parse("test-policy.yaml", POLICY);
        TrackingService tracking = EmbeddedTrackingService.open(database, artifacts, Clock.systemUTC(),
                new Ids(new Random(7)), audit, authorizer);
        registry = EmbeddedRegistryService.open(database, artifacts, tracking, Clock.systemUTC(), audit, authorizer,
                policy.gate());
        approvals = EmbeddedApprovalService.open(database, registry, tracking, policy, Clock.systemUTC(), audit, authorizer);
        fairApprovals = EmbeddedApprovalService.open(database, registry, tracking,
                ApprovalPolicy.parse("fairness-policy.yaml", FAIRNESS_POLICY), Clock.systemUTC(), audit, authorizer);
    }

    @AfterAll
    void stop() {
        if (database != null) {
            close(database);
        }
    }

    /** Version 1 of a new model of {@code tier}, registered by alice from a directory holding an ONNX model. */
    private String modelWithVersion(RiskTier tier) throws IOException {
        String name = "credit-" + UUID.randomUUID().toString().substring(0, 8);
        registry.createRegisteredModel(alice, new NewRegisteredModel(name, null, tier, List.of()));
        Path files = Files.createDirectories(dir.resolve(name));
        Files.write(files.resolve("model.onnx"), TrainedModel.onnx());
        registry.createModelVersionFromDirectory(alice, name, files, null, List.of());
        return name;
    }

    private ApprovalRequest production(String name) {
        return approvals.request(bob, name, 1, new ApprovalTarget.ToStage(Stage.PRODUCTION));
    }

    private ModelVersion version(String name) {
        return registry.getModelVersion(alice, name, 1);
    }

    private static void fails(ThrowingCallable call, ErrorCode code, String... inMessage) {
        var failure = assertThatThrownBy(call).isInstanceOf(KeelException.class)
                .satisfies(e -> assertThat(((KeelException) e).code()).isEqualTo(code));
        for (String text : inMessage) {
            failure.hasMessageContaining(text);
        }
    }

    @Test
    void a_request_runs_the_checks_now_and_keeps_their_results() throws IOException {
        String name = modelWithVersion(RiskTier.HIGH);

        ApprovalRequest request = production(name);

        assertThat(request.status()).isEqualTo(ApprovalStatus.PENDING);
        assertThat(request.requester()).isEqualTo("bob");
        assertThat(request.tier()).isEqualTo(RiskTier.HIGH);
        assertThat(request.requiredApprovals()).isEqualTo(2);
        assertThat(request.target()).isEqualTo(new ApprovalTarget.ToStage(Stage.PRODUCTION));
        assertThat(request.checks()).extracting(RecordedCheck::check, RecordedCheck::passed)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("signature_present", true),
                        org.assertj.core.groups.Tuple.tuple("digests_verified", true));
        assertThat(request.checks().get(1).detail()).contains("1 file match");
        assertThat(approvals.get(erin, request.id())).isEqualTo(request);
        assertThat(approvals.list(erin, null, name)).containsExactly(request);
        assertThat(approvals.list(erin, ApprovalStatus.APPLIED, name)).isEmpty();
        assertThat(events).contains("bob approval.request model/" + name + "/version/1/approval/" + request.id());
    }

    @Test
    void the_requester_cannot_approve_their_own_request() throws IOException {
        String name = modelWithVersion(RiskTier.LOW);
        ApprovalRequest request = approvals.request(carol, name, 1, new ApprovalTarget.ToStage(Stage.STAGING));

        fails(() -> approvals.approve(carol, request.id(), "looks fine"), ErrorCode.PERMISSION_DENIED,
                "'carol'", "requester cannot approve");
        assertThat(approvals.get(carol, request.id()).decisions()).isEmpty();
        assertThat(version(name).currentStage()).isEqualTo(Stage.NONE);
    }

    @Test
    void the_versions_creator_cannot_approve_it() throws IOException {
        String name = modelWithVersion(RiskTier.LOW);
        ApprovalRequest request = production(name);

        fails(() -> approvals.approve(alice, request.id(), null), ErrorCode.PERMISSION_DENIED, "'alice'", "created version 1");
        assertThat(approvals.get(alice, request.id()).status()).isEqualTo(ApprovalStatus.PENDING);
    }

    @Test
    void approving_needs_the_approver_role() throws IOException {
        String name = modelWithVersion(RiskTier.LOW);
        ApprovalRequest request = production(name);

        fails(() -> approvals.approve(erin, request.id(), null), ErrorCode.PERMISSION_DENIED, "approver role");
        fails(() -> approvals.approve(bob, request.id(), null), ErrorCode.PERMISSION_DENIED, "approver role");
        fails(() -> approvals.reject(bob, request.id(), "no"), ErrorCode.PERMISSION_DENIED, "approver role");
        fails(() -> approvals.request(erin, name, 1, new ApprovalTarget.ToStage(Stage.STAGING)),
                ErrorCode.PERMISSION_DENIED, "viewer");
        assertThat(approvals.approve(root, request.id(), "admin holds every role").status())
                .isEqualTo(ApprovalStatus.APPLIED);
    }

    @Test
    void a_high_tier_needs_two_different_approvers_then_the_stage_changes() throws IOException {
        String name = modelWithVersion(RiskTier.HIGH);
        ApprovalRequest request = production(name);

        ApprovalRequest once = approvals.approve(carol, request.id(), "metrics reviewed");
        assertThat(once.status()).isEqualTo(ApprovalStatus.PENDING);
        assertThat(version(name).currentStage()).isEqualTo(Stage.NONE);
        fails(() -> approvals.approve(carol, request.id(), "again"), ErrorCode.PERMISSION_DENIED, "different person");

        ApprovalRequest twice = approvals.approve(dave, request.id(), "card reviewed");

        assertThat(twice.status()).isEqualTo(ApprovalStatus.APPLIED);
        assertThat(twice.decisions()).extracting(Decision::decidedBy, Decision::verdict, Decision::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("carol", Verdict.APPROVE, "metrics reviewed"),
                        org.assertj.core.groups.Tuple.tuple("dave", Verdict.APPROVE, "card reviewed"));
        assertThat(twice.decisions()).allSatisfy(d -> assertThat(d.decidedTime()).isPositive());
        assertThat(version(name).currentStage()).isEqualTo(Stage.PRODUCTION);
        String resource = "model/" + name + "/version/1";
        assertThat(events).containsSubsequence("carol approval.approve " + resource + "/approval/" + request.id(),
                "dave approval.approve " + resource + "/approval/" + request.id(),
                "dave model_version.transition_stage " + resource,
                "dave approval.apply " + resource + "/approval/" + request.id());
        fails(() -> approvals.approve(root, request.id(), null), ErrorCode.INVALID_PARAMETER_VALUE, "APPLIED");
    }

    @Test
    void a_failed_check_keeps_the_request_but_blocks_its_approval() throws IOException {
        String name = modelWithVersion(RiskTier.MEDIUM);

        ApprovalRequest request = production(name);

        assertThat(request.checksPassed()).isFalse();
        assertThat(request.failedChecks()).extracting(RecordedCheck::check).containsExactly("metrics.auc >= 0.8");
        fails(() -> approvals.approve(carol, request.id(), null), ErrorCode.BAD_REQUEST,
                "cannot be approved", "metrics.auc");
        assertThat(approvals.get(carol, request.id()).status()).isEqualTo(ApprovalStatus.PENDING);
        assertThat(version(name).currentStage()).isEqualTo(Stage.NONE);
    }

    @Test
    void an_approved_alias_request_points_the_protected_alias() throws IOException {
        String name = modelWithVersion(RiskTier.LOW);
        ApprovalRequest request = approvals.request(bob, name, 1, new ApprovalTarget.ToAlias("champion"));

        assertThat(approvals.approve(carol, request.id(), "ok").status()).isEqualTo(ApprovalStatus.APPLIED);

        assertThat(registry.getVersionByAlias(bob, name, "champion").version()).isEqualTo(1);
    }

    @Test
    void a_rejection_is_final_and_needs_a_reason() throws IOException {
        String name = modelWithVersion(RiskTier.LOW);
        ApprovalRequest request = production(name);

        fails(() -> approvals.reject(carol, request.id(), " "), ErrorCode.INVALID_PARAMETER_VALUE, "'reason'");
        ApprovalRequest rejected = approvals.reject(carol, request.id(), "no fairness evaluation yet");

        assertThat(rejected.status()).isEqualTo(ApprovalStatus.REJECTED);
        assertThat(rejected.decisions()).extracting(Decision::decidedBy, Decision::verdict, Decision::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("carol", Verdict.REJECT, "no fairness evaluation yet"));
        fails(() -> approvals.approve(dave, request.id(), null), ErrorCode.INVALID_PARAMETER_VALUE, "REJECTED");
        assertThat(version(name).currentStage()).isEqualTo(Stage.NONE);
        assertThat(approvals.list(carol, ApprovalStatus.REJECTED, name)).extracting(ApprovalRequest::id)
                .containsExactly(request.id());
    }

    @Test
    void with_the_gate_on_direct_promotions_are_refused_and_point_to_a_request() throws IOException {
        String name = modelWithVersion(RiskTier.LOW);

        fails(() -> registry.transitionStage(alice, name, 1, Stage.PRODUCTION, false), ErrorCode.PERMISSION_DENIED,
                "needs an approval", "keel approvals request " + name + " 1 --stage Production");
        fails(() -> registry.setAlias(alice, name, "champion", 1), ErrorCode.PERMISSION_DENIED,
                "needs an approval", "--alias champion");
        registry.setAlias(alice, name, "challenger", 1);
        assertThat(registry.transitionStage(alice, name, 1, Stage.ARCHIVED, false).currentStage())
                .isEqualTo(Stage.ARCHIVED);
    }

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
        String name = modelWithVersion(RiskTier.LOW);
        ApprovalTarget staging = new ApprovalTarget.ToStage(Stage.STAGING);

        ApprovalRequest none = fairApprovals.request(bob, name, 1, staging);
        assertThat(none.failedChecks()).extracting(RecordedCheck::detail).containsExactly("demographic parity difference for "
                + "home_ownership cannot be computed: no evaluation set recorded for version 1 of '" + name + "': failed");

        registry.setEvaluationSet(alice, name, 1, applicants(3, 1));
        ApprovalRequest biased = fairApprovals.request(bob, name, 1, staging);
        assertThat(biased.checksPassed()).isFalse();
        assertThat(biased.failedChecks()).extracting(RecordedCheck::detail).containsExactly("demographic parity difference for "
                + "home_ownership = 0.5 > 0.1 (selection rate own 0.75, rent 0.25): failed");
        fails(() -> fairApprovals.approve(carol, biased.id(), null), ErrorCode.BAD_REQUEST, "0.5 > 0.1");

        String fairSha = registry.setEvaluationSet(alice, name, 1, applicants(2, 2)).sha256();
        ApprovalRequest fair = fairApprovals.request(bob, name, 1, staging);
        assertThat(fair.checks().get(0)).isEqualTo(new RecordedCheck(
                "fairness: demographic_parity_difference of home_ownership, max 0.1", true,
                "demographic parity difference for home_ownership = 0 ≤ 0.1 (selection rate own 0.5, rent 0.5): passed"));
        assertThat(summaries).anyMatch(s -> s.startsWith("approval.request model/" + name + "/version/1/approval/" + fair.id())
                && s.contains(fairSha));
        assertThat(fairApprovals.approve(carol, fair.id(), "fair enough").status()).isEqualTo(ApprovalStatus.APPLIED);
        assertThat(version(name).currentStage()).isEqualTo(Stage.STAGING);
    }

    @Test
    void an_approved_stage_request_archives_the_versions_already_there_only_when_asked() throws IOException {
        String name = modelWithVersion(RiskTier.LOW);
        Path files = Files.createDirectories(dir.resolve(name + "-next"));
        Files.write(files.resolve("model.onnx"), TrainedModel.onnx());
        registry.createModelVersionFromDirectory(alice, name, files, null, List.of());
        registry.createModelVersionFromDirectory(alice, name, files, null, List.of());
        for (long v = 1; v <= 2; v++) {
            ApprovalRequest plain = approvals.request(bob, name, v, new ApprovalTarget.ToStage(Stage.PRODUCTION));
            approvals.approve(carol, plain.id(), "ok");
        }
        assertThat(registry.getModelVersion(alice, name, 1).currentStage()).isEqualTo(Stage.PRODUCTION);
        assertThat(registry.getModelVersion(alice, name, 2).currentStage()).isEqualTo(Stage.PRODUCTION);

        ApprovalRequest archiving = approvals.request(bob, name, 3, new ApprovalTarget.ToStage(Stage.PRODUCTION, true));
        assertThat(approvals.get(erin, archiving.id()).target()).isEqualTo(new ApprovalTarget.ToStage(Stage.PRODUCTION, true));
        assertThat(archiving.target().describe()).isEqualTo("stage Production, archiving the versions already in Production");
        assertThat(registry.getModelVersion(alice, name, 1).currentStage()).isEqualTo(Stage.PRODUCTION);

        approvals.approve(carol, archiving.id(), "replaces both");

        assertThat(registry.getModelVersion(alice, name, 3).currentStage()).isEqualTo(Stage.PRODUCTION);
        assertThat(registry.getModelVersion(alice, name, 1).currentStage()).isEqualTo(Stage.ARCHIVED);
        assertThat(registry.getModelVersion(alice, name, 2).currentStage()).isEqualTo(Stage.ARCHIVED);
        assertThat(summaries).contains("model_version.transition_stage model/" + name + "/version/3 "
                + "{stage=Production, archive_existing_versions=true, approval=" + archiving.id() + "}");
        fails(() -> ApprovalTarget.of("alias", "champion", true), ErrorCode.INVALID_PARAMETER_VALUE,
                "'archive_existing_versions' applies only to a stage request");
    }

    @Test
    void bad_requests_are_refused_naming_what_was_wrong() throws IOException {
        String name = modelWithVersion(RiskTier.LOW);

        fails(() -> approvals.request(bob, name, 7, new ApprovalTarget.ToStage(Stage.PRODUCTION)),
                ErrorCode.RESOURCE_DOES_NOT_EXIST, "version 7");
        fails(() -> new ApprovalTarget.ToStage(Stage.ARCHIVED), ErrorCode.INVALID_PARAMETER_VALUE, "Staging or Production");
        fails(() -> ApprovalTarget.of("stage", "Prod"), ErrorCode.INVALID_PARAMETER_VALUE, "invalid stage 'Prod'");
        fails(() -> new ApprovalTarget.ToAlias("latest"), ErrorCode.INVALID_PARAMETER_VALUE, "reserved");
        fails(() -> approvals.get(bob, 999_999), ErrorCode.RESOURCE_DOES_NOT_EXIST, "approval request 999999");
        fails(() -> approvals.approve(carol, 999_999, null), ErrorCode.RESOURCE_DOES_NOT_EXIST, "999999");
        fails(() -> ApprovalStatus.parse("done"), ErrorCode.INVALID_PARAMETER_VALUE, "'status'");
    }
}
