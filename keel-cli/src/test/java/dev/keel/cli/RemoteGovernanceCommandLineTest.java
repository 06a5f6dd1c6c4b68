package dev.keel.cli;

import dev.keel.api.audit.AuditEvent;
import dev.keel.api.registry.NewRegisteredModel;
import dev.keel.api.registry.Stage;
import dev.keel.core.Actor;
import dev.keel.governance.access.AccessControl;
import dev.keel.server.Authentication;
import dev.keel.server.KeelPlatform;
import dev.keel.server.PlatformOptions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.keel.cli.CommandLineRun.keel;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code keel users|tokens|permissions|approvals|audit} with {@code KEEL_URL} and {@code KEEL_TOKEN}
 * against a server with authentication on: the same commands, the same output and exit codes,
 * the server deciding who acts.
 */
class RemoteGovernanceCommandLineTest {
    private static final String POLICY = """
            gate: {enabled: true, protected_aliases: [champion]}
            tiers:
              low: {approvers: 1, checks: [digests_verified]}
              medium: {approvers: 1, checks: [digests_verified]}
              high: {approvers: 2, checks: [digests_verified]}
            """;

    @RegisterExtension
    final KeelServerForCli remote = new KeelServerForCli(
            PlatformOptions.defaults().withAuthentication(Authentication.on()), POLICY);
    private KeelPlatform platform;
    private String adminToken;

    @BeforeEach
    void start() {
        platform = remote.platform();
        platform.access().bootstrap("admin-password", Duration.ofHours(1));
        Actor admin = new Actor(AccessControl.ADMIN);
        adminToken = platform.access().createToken(admin, AccessControl.ADMIN, "cli test", null).secret();
    }

    /** The environment of a CLI signed in with {@code token} (null: anonymous), and {@code more} names and values. */
    private Map<String, String> as(String token, String... more) {
        return remote.env(token, more);
    }

    private String userWithToken(String name, String role) {
        CommandLineRun created = keel(as(adminToken), "users", "create", name, "--role", role);
        assertThat(created.exitCode()).as(created.toString()).isZero();
        CommandLineRun token = keel(as(adminToken), "tokens", "create", "--user", name, "--description", "cli");
        assertThat(token.exitCode()).as(token.toString()).isZero();
        return token.out().strip();
    }

    /** Version 1 of {@code name}, registered on the server by {@code owner} from a run holding a trained model. */
    private void registered(String owner, String name) {
        TrainedRuns.registered(platform, new Actor(owner), "remote-" + name, NewRegisteredModel.named(name));
    }

    @Test
    void users_tokens_and_permissions_are_managed_on_the_server() {
        String bob = userWithToken("bob", "member");
        assertThat(platform.access().user("bob")).isPresent();
        assertThat(remote.clientHome().resolve("keel.db")).doesNotExist();

        CommandLineRun users = keel(as(adminToken), "users", "list");
        assertThat(users.exitCode()).as(users.toString()).isZero();
        assertThat(users.out()).contains("admin", "bob", "member");
        CommandLineRun refused = keel(as(bob), "users", "list");
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
        assertThat(refused.err()).startsWith("error: ").contains("only an admin may list users");

        CommandLineRun own = keel(as(bob), "tokens", "list");
        assertThat(own.exitCode()).as(own.toString()).isZero();
        assertThat(own.out()).contains("cli").doesNotContain(bob);
        CommandLineRun another = keel(as(bob), "tokens", "create", "--description", "laptop");
        assertThat(another.exitCode()).as(another.toString()).isZero();
        assertThat(another.err()).contains("for bob");
        String tokenId = keel(as(bob), "tokens", "list").out().lines().filter(line -> line.contains("laptop"))
                .findFirst().orElseThrow().split("\\s+")[0];
        assertThat(keel(as(bob), "tokens", "revoke", tokenId).exitCode()).isZero();
        assertThat(keel(as(another.out().strip()), "tokens", "list").err()).contains("sign in");

        registered("bob", "churn");
        userWithToken("carol", "member");
        CommandLineRun granted = keel(as(bob), "permissions", "grant", "--model", "churn", "--user", "carol",
                "--permission", "edit");
        assertThat(granted.exitCode()).as(granted.toString()).isZero();
        assertThat(granted.out()).contains("granted EDIT on registered model 'churn' to carol");
        CommandLineRun listed = keel(as(bob), "permissions", "list", "--model", "churn", "--json");
        assertThat(listed.exitCode()).as(listed.toString()).isZero();
        assertThat(listed.json().findValuesAsText("user")).containsExactly("bob", "carol");
        assertThat(keel(as(bob), "permissions", "revoke", "--model", "churn", "--user", "carol").exitCode()).isZero();
        assertThat(keel(as(bob), "permissions", "list", "--model", "churn").out()).doesNotContain("carol");

        CommandLineRun notManager = keel(as(bob), "permissions", "grant", "--experiment", "0", "--user", "carol",
                "--permission", "MANAGE");
        assertThat(notManager.exitCode()).as(notManager.toString()).isEqualTo(2);
        assertThat(notManager.err()).contains("needs MANAGE");
        CommandLineRun badPermission = keel(as(bob), "permissions", "grant", "--model", "churn", "--user", "carol",
                "--permission", "OWN");
        assertThat(badPermission.exitCode()).isEqualTo(2);
        assertThat(badPermission.err()).contains("'--permission'");
        CommandLineRun both = keel(as(bob), "permissions", "list", "--model", "churn", "--experiment", "0");
        assertThat(both.exitCode()).isEqualTo(2);
    }

    @Test
    void approvals_are_requested_and_decided_on_the_server_with_the_same_refusals() {
        String bob = userWithToken("bob", "member");
        String carol = userWithToken("carol", "approver");
        registered("bob", "credit");

        CommandLineRun requested = keel(as(bob), "approvals", "request", "credit", "1", "--stage", "production");
        assertThat(requested.exitCode()).as(requested.toString()).isZero();
        assertThat(requested.out()).contains("approval request 1: credit version 1 to stage Production",
                "pending (0 of 1 approvals, low risk)", "by bob", "pass digests_verified");

        CommandLineRun byRequester = keel(as(bob), "approvals", "approve", "1");
        assertThat(byRequester.exitCode()).as(byRequester.toString()).isEqualTo(2);
        assertThat(byRequester.err()).contains("approver role");
        CommandLineRun pretending = keel(as(carol, "KEEL_USER", "dave"), "approvals", "approve", "1");
        assertThat(pretending.exitCode()).isEqualTo(2);
        assertThat(pretending.err()).contains("KEEL_USER");
        CommandLineRun anonymous = keel(as(null), "approvals", "list");
        assertThat(anonymous.exitCode()).isNotZero();
        assertThat(anonymous.err()).contains("sign in");
        assertThat(platform.registry().getModelVersion(new Actor("bob"), "credit", 1).currentStage()).isEqualTo(Stage.NONE);

        CommandLineRun approved = keel(as(carol), "approvals", "approve", "1", "--reason", "digests verified");
        assertThat(approved.exitCode()).as(approved.toString()).isZero();
        assertThat(approved.out()).contains("applied (1 of 1 approvals", "approve by carol", "digests verified");
        assertThat(platform.registry().getModelVersion(new Actor("bob"), "credit", 1).currentStage())
                .isEqualTo(Stage.PRODUCTION);

        assertThat(keel(as(bob), "permissions", "grant", "--model", "credit", "--user", "carol", "--permission", "EDIT")
                .exitCode()).isZero();
        CommandLineRun aliasRequest = keel(as(bob), "approvals", "request", "credit", "1", "--alias", "champion");
        assertThat(aliasRequest.exitCode()).as(aliasRequest.toString()).isZero();
        CommandLineRun selfApproval = keel(as(carol), "approvals", "request", "credit", "1", "--stage", "staging");
        assertThat(selfApproval.exitCode()).as(selfApproval.toString()).isZero();
        CommandLineRun ownRequest = keel(as(carol), "approvals", "approve", "3");
        assertThat(ownRequest.exitCode()).as(ownRequest.toString()).isEqualTo(2);
        assertThat(ownRequest.err()).contains("'carol' may not approve", "requester cannot approve");
        CommandLineRun rejected = keel(as(carol), "approvals", "reject", "2", "--reason", "not yet");
        assertThat(rejected.exitCode()).as(rejected.toString()).isZero();
        assertThat(rejected.out()).contains("rejected", "reject by carol", "not yet");

        CommandLineRun listed = keel(as(bob), "approvals", "list", "--json");
        assertThat(listed.exitCode()).as(listed.toString()).isZero();
        assertThat(listed.json().findValuesAsText("status")).containsExactly("pending", "rejected", "applied");
        CommandLineRun shown = keel(as(bob), "approvals", "show", "1", "--json");
        assertThat(shown.json().at("/decisions/0/decided_by").asText()).isEqualTo("carol");
        CommandLineRun missing = keel(as(bob), "approvals", "show", "99");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("approval request 99 does not exist");
        CommandLineRun badStage = keel(as(bob), "approvals", "request", "credit", "1", "--stage", "Prod");
        assertThat(badStage.exitCode()).isEqualTo(2);
        assertThat(badStage.err()).contains("invalid stage 'Prod'");
    }

    @Test
    void the_audit_trail_is_verified_read_exported_and_checkpointed_over_http() throws Exception {
        String bob = userWithToken("bob", "member");
        String audrey = userWithToken("audrey", "approver");
        registered("bob", "credit");

        CommandLineRun verified = keel(as(audrey), "audit", "verify");
        assertThat(verified.exitCode()).as(verified.toString()).isZero();
        assertThat(verified.out()).startsWith("intact: ");
        CommandLineRun member = keel(as(bob), "audit", "verify");
        assertThat(member.exitCode()).as(member.toString()).isEqualTo(2);
        assertThat(member.err()).contains("only admins and approvers (auditors) may verify the audit trail");

        CommandLineRun log = keel(as(audrey), "audit", "log", "--resource", "model/credit", "--json");
        assertThat(log.exitCode()).as(log.toString()).isZero();
        assertThat(log.json().findValuesAsText("action")).contains("registered_model.create", "model_version.create");
        assertThat(log.json().findValuesAsText("resource")).allSatisfy(r -> assertThat(r).startsWith("model/credit"));
        CommandLineRun table = keel(as(audrey), "audit", "log", "--limit", "3");
        assertThat(table.exitCode()).as(table.toString()).isZero();
        assertThat(table.out().lines().count()).isEqualTo(4);

        List<AuditEvent> all = new ArrayList<>();
        platform.auditTrail().export(0, all::add);
        CommandLineRun exported = keel(as(audrey), "audit", "export", "--since", "1970-01-01");
        assertThat(exported.exitCode()).as(exported.toString()).isZero();
        assertThat(exported.out().lines().toList()).isEqualTo(all.stream().map(AuditEvent::jsonLine).toList());
        long since = all.get(all.size() - 1).recordedAt();
        CommandLineRun recent = keel(as(audrey), "audit", "export", "--since", Instant.ofEpochMilli(since).toString());
        assertThat(recent.out().lines().map(line -> read(line).get("recorded_at").asLong()).toList())
                .isNotEmpty().allSatisfy(t -> assertThat(t).isGreaterThanOrEqualTo(since));
        CommandLineRun badSince = keel(as(audrey), "audit", "export", "--since", "last tuesday");
        assertThat(badSince.exitCode()).isEqualTo(2);
        assertThat(badSince.err()).contains("'--since'");

        CommandLineRun signed = keel(as(audrey), "audit", "checkpoint");
        assertThat(signed.exitCode()).as(signed.toString()).isZero();
        assertThat(signed.out()).startsWith("signed the head at event " + all.size());

        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + remote.serverHome().resolve("keel.db"));
             Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE audit_events SET actor = 'mallory' WHERE seq = 3");
        }
        CommandLineRun broken = keel(as(adminToken), "audit", "verify");
        assertThat(broken.exitCode()).as(broken.toString()).isEqualTo(1);
        assertThat(broken.out()).startsWith("broken at event 3 (altered)");
        CommandLineRun brokenJson = keel(as(adminToken), "audit", "verify", "--json");
        assertThat(brokenJson.exitCode()).isEqualTo(1);
        assertThat(brokenJson.json().get("broken_seq").asLong()).isEqualTo(3);
        assertThat(brokenJson.json().get("intact").asBoolean()).isFalse();
    }

    private static JsonNode read(String line) {
        try {
            return new ObjectMapper().readTree(line);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
