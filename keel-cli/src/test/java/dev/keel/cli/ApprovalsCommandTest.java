package dev.keel.cli;

import dev.keel.api.registry.NewRegisteredModel;
import dev.keel.api.registry.RiskTier;
import dev.keel.api.registry.Stage;
import dev.keel.core.Actor;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import dev.keel.server.KeelPlatform;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.keel.cli.CommandLineRun.keel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code keel approvals …} embedded on SQLite, with a policy in KEEL_HOME that turns the gate on;
 * KEEL_USER plays the different people on one machine (authentication is off).
 */
class ApprovalsCommandTest {
    private static final Actor ALICE = new Actor("alice");
    private static final String POLICY = """
            gate: {enabled: true, protected_aliases: [champion]}
            tiers:
              low: {approvers: 1, checks: [digests_verified]}
              medium: {approvers: 1, checks: [{metric: "metrics.auc >= 0.99"}]}
              high: {approvers: 2, checks: [digests_verified]}
            """;

    @TempDir
    Path home;

    private Map<String, String> as(String user) {
        Map<String, String> env = new HashMap<>(Map.of("KEEL_HOME", home.toString()));
        env.put("KEEL_USER", user);
        return env;
    }

    /** Version 1 of {@code name}, registered by alice from a run holding a trained Tribuo model. */
    private void registered(String name, RiskTier tier) throws IOException {
        Files.writeString(home.resolve("approval-policy.yaml"), POLICY);
        try (KeelPlatform platform = LocalHome.open(home)) {
            TrainedRuns.registered(platform, ALICE, "approvals-" + name, new NewRegisteredModel(name, null, tier, List.of()));
        }
    }

    private Stage stage(String name) {
        try (KeelPlatform platform = LocalHome.open(home)) {
            return platform.registry().getModelVersion(ALICE, name, 1).currentStage();
        }
    }

    @Test
    void a_request_is_checked_refused_to_its_requester_and_creator_then_approved_and_applied() throws IOException {
        registered("credit", RiskTier.LOW);
        try (KeelPlatform platform = LocalHome.open(home)) {
            assertThatThrownBy(() -> platform.registry().transitionStage(ALICE, "credit", 1, Stage.PRODUCTION, false))
                    .isInstanceOf(KeelException.class).hasMessageContaining("keel approvals request credit 1 --stage Production")
                    .satisfies(e -> assertThat(((KeelException) e).code()).isEqualTo(ErrorCode.PERMISSION_DENIED));
        }

        CommandLineRun requested = keel(as("bob"), "approvals", "request", "credit", "1", "--stage", "production");
        assertThat(requested.exitCode()).as(requested.toString()).isZero();
        assertThat(requested.out()).contains("approval request 1: credit version 1 to stage Production",
                "pending (0 of 1 approvals, low risk)", "by bob", "pass digests_verified");

        CommandLineRun byRequester = keel(as("bob"), "approvals", "approve", "1");
        assertThat(byRequester.exitCode()).as(byRequester.toString()).isEqualTo(2);
        assertThat(byRequester.err()).contains("'bob' may not approve", "requester cannot approve");
        CommandLineRun byCreator = keel(as("alice"), "approvals", "approve", "1");
        assertThat(byCreator.exitCode()).as(byCreator.toString()).isEqualTo(2);
        assertThat(byCreator.err()).contains("created version 1");
        assertThat(stage("credit")).isEqualTo(Stage.NONE);

        CommandLineRun approved = keel(as("carol"), "approvals", "approve", "1", "--reason", "card and metrics reviewed");
        assertThat(approved.exitCode()).as(approved.toString()).isZero();
        assertThat(approved.out()).contains("applied (1 of 1 approvals", "approve by carol", "card and metrics reviewed");
        assertThat(stage("credit")).isEqualTo(Stage.PRODUCTION);

        CommandLineRun listed = keel(as("dave"), "approvals", "list", "--json");
        assertThat(listed.exitCode()).as(listed.toString()).isZero();
        JsonNode first = listed.json().get(0);
        assertThat(first.get("status").asText()).isEqualTo("applied");
        assertThat(first.at("/target/value").asText()).isEqualTo("Production");
        assertThat(first.at("/decisions/0/decided_by").asText()).isEqualTo("carol");
        assertThat(first.at("/checks/0/passed").asBoolean()).isTrue();
    }

    @Test
    void a_failed_check_or_a_rejection_exits_non_zero_with_the_reason() throws IOException {
        registered("churn", RiskTier.MEDIUM);

        CommandLineRun requested = keel(as("bob"), "approvals", "request", "churn", "1", "--alias", "champion");
        assertThat(requested.exitCode()).as(requested.toString()).isZero();
        assertThat(requested.out()).contains("FAIL metrics.auc >= 0.99");
        CommandLineRun blocked = keel(as("carol"), "approvals", "approve", "1");
        assertThat(blocked.exitCode()).as(blocked.toString()).isEqualTo(2);
        assertThat(blocked.err()).contains("cannot be approved", "metrics.auc");

        CommandLineRun noReason = keel(as("carol"), "approvals", "reject", "1");
        assertThat(noReason.exitCode()).isEqualTo(2);
        assertThat(noReason.err()).contains("--reason");
        CommandLineRun rejected = keel(as("carol"), "approvals", "reject", "1", "--reason", "auc too low");
        assertThat(rejected.exitCode()).as(rejected.toString()).isZero();
        CommandLineRun shown = keel(as("erin"), "approvals", "show", "1");
        assertThat(shown.out()).contains("to alias champion", "rejected", "reject by carol", "auc too low");
        CommandLineRun late = keel(as("dave"), "approvals", "approve", "1");
        assertThat(late.exitCode()).isEqualTo(2);
        assertThat(late.err()).contains("is REJECTED");

        CommandLineRun pending = keel(as("erin"), "approvals", "list", "--status", "pending");
        assertThat(pending.out()).contains("no approval requests");
        CommandLineRun badStatus = keel(as("erin"), "approvals", "list", "--status", "done");
        assertThat(badStatus.exitCode()).isEqualTo(2);
        assertThat(badStatus.err()).contains("'status'");
    }
}
