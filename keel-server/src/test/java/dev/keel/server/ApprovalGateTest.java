package dev.keel.server;

import dev.keel.api.approval.ApprovalRequest;
import dev.keel.api.approval.ApprovalStatus;
import dev.keel.api.approval.ApprovalTarget;
import dev.keel.api.registry.Stage;
import dev.keel.core.Actor;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelConfig;
import dev.keel.core.KeelException;
import dev.keel.core.Role;
import dev.keel.registry.approval.ApprovalPolicy;
import dev.keel.registry.card.SampleCards;
import dev.keel.server.contract.Backend;
import dev.keel.server.contract.Deployment;
import dev.keel.server.contract.Deployment.Setup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import static dev.keel.server.ErrorAnswers.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The approval gate's default, 'auto': on wherever sign-in is required, so a direct promotion
 * is refused on Keel's routes and MLflow's alike, naming the approval command; off for a local
 * start; and a policy can set it either way.
 */
class ApprovalGateTest {
    private static final String TIERS = """
            tiers:
              low: {approvers: 1, checks: [digests_verified]}
              medium: {approvers: 1}
              high: {approvers: 2}
            """;

    private static void refused(HttpResponse<String> response, String... inMessage) {
        assertError(response, 403, "PERMISSION_DENIED", inMessage);
    }

    @Test
    void with_sign_in_required_direct_promotions_are_refused_on_every_route_and_an_approval_applies_them()
            throws IOException {
        try (Deployment keel = Deployment.open(Backend.HTTP_SQLITE, Setup.signedIn(Map.of("alice", Role.MEMBER,
                "carol", Role.APPROVER)))) {
            String name = "credit-" + UUID.randomUUID().toString().substring(0, 8);
            ModelsInRuns.registered(keel.platform(), new Actor("alice"), name);
            String command = "keel approvals request " + name + " 1 --stage Production";

            refused(keel.send("alice", "POST", "/api/v1/models/" + name + "/versions/1/stage",
                    "{\"stage\":\"Production\",\"archive_existing_versions\":true}"), "needs an approval", command);
            refused(keel.send("admin", "POST", "/api/v1/models/" + name + "/versions/1/stage", "{\"stage\":\"Staging\"}"),
                    "keel approvals request " + name + " 1 --stage Staging");
            refused(keel.send("alice", "POST", "/api/2.0/mlflow/model-versions/transition-stage", "{\"name\":\"" + name
                    + "\",\"version\":\"1\",\"stage\":\"Production\",\"archive_existing_versions\":false}"), command);
            refused(keel.send("alice", "PUT", "/api/v1/models/" + name + "/aliases/champion", "{\"version\":1}"),
                    "keel approvals request " + name + " 1 --alias champion");
            refused(keel.send("alice", "POST", "/api/2.0/mlflow/registered-models/alias", "{\"name\":\"" + name
                    + "\",\"alias\":\"champion\",\"version\":\"1\"}"), "--alias champion");
            // what the gate does not guard stays direct
            assertThat(keel.send("alice", "PUT", "/api/v1/models/" + name + "/aliases/challenger", "{\"version\":1}")
                    .statusCode()).isEqualTo(204);
            assertThat(keel.platform().registry().getModelVersion(Deployment.ADMIN, name, 1).currentStage())
                    .isEqualTo(Stage.NONE);

            keel.platform().registry().updateModelCard(new Actor("alice"), name, 1, SampleCards.complete());
            ApprovalRequest request = keel.platform().approvals().request(new Actor("alice"), name, 1,
                    new ApprovalTarget.ToStage(Stage.PRODUCTION));
            assertThat(keel.platform().approvals().approve(new Actor("carol"), request.id(), "reviewed").status())
                    .isEqualTo(ApprovalStatus.APPLIED);
            assertThat(keel.platform().registry().getModelVersion(Deployment.ADMIN, name, 1).currentStage())
                    .isEqualTo(Stage.PRODUCTION);
        }
    }

    @Test
    void a_policy_that_turns_the_gate_off_lets_a_signed_in_editor_promote_directly() {
        ApprovalPolicy off = ApprovalPolicy.parse("off.yaml", "gate: {enabled: false}\n" + TIERS);
        try (Deployment keel = Deployment.open(Backend.SQLITE, Setup.signedIn(Map.of()).withPolicy(off))) {
            KeelPlatform platform = keel.platform();
            String name = "credit-" + UUID.randomUUID().toString().substring(0, 8);
            ModelsInRuns.registered(platform, Deployment.ADMIN, name);

            assertThat(platform.registry().transitionStage(Deployment.ADMIN, name, 1, Stage.PRODUCTION, false)
                    .currentStage()).isEqualTo(Stage.PRODUCTION);
        }
    }

    @Test
    void a_local_start_leaves_auto_off_and_a_policy_file_can_turn_the_gate_on(@TempDir Path home) throws IOException {
        KeelConfig config = new KeelConfig(home, null, null, null, 0);
        try (KeelPlatform platform = KeelPlatform.open(config)) {
            ModelsInRuns.registered(platform, Actor.LOCAL, "local-model");
            assertThat(platform.registry().transitionStage(Actor.LOCAL, "local-model", 1, Stage.PRODUCTION, false)
                    .currentStage()).isEqualTo(Stage.PRODUCTION);
        }

        Files.writeString(home.resolve(ApprovalPolicy.FILE_NAME), "gate: {enabled: true}\n" + TIERS);
        try (KeelPlatform platform = KeelPlatform.open(config)) {
            assertThatThrownBy(() -> platform.registry().transitionStage(Actor.LOCAL, "local-model", 1, Stage.STAGING, false))
                    .isInstanceOf(KeelException.class)
                    .hasMessageContaining("keel approvals request local-model 1 --stage Staging")
                    .satisfies(e -> assertThat(((KeelException) e).code()).isEqualTo(ErrorCode.PERMISSION_DENIED));
        }
    }
}
