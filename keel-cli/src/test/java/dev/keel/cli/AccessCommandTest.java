package dev.keel.cli;

import dev.keel.core.KeelConfig;
import dev.keel.server.Authentication;
import dev.keel.server.KeelPlatform;
import dev.keel.server.KeelServer;
import dev.keel.server.PlatformOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static dev.keel.cli.CommandLineRun.keel;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code keel users …} and {@code keel tokens …} on the store, and {@code KEEL_TOKEN} against a server with auth on. */
class AccessCommandTest {

    @TempDir
    Path home;

    private Map<String, String> env(String... more) {
        Map<String, String> env = new HashMap<>(Map.of("KEEL_HOME", home.toString()));
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return env;
    }

    @Test
    void users_and_tokens_are_created_listed_and_revoked() {
        CommandLineRun created = keel(env("KEEL_USER_PASSWORD", "bob-password"), "users", "create", "bob", "--role", "viewer");
        assertThat(created.exitCode()).as(created.toString()).isZero();
        assertThat(created.out()).contains("created user bob (viewer, with a password)");

        CommandLineRun listed = keel(env(), "users", "list");
        assertThat(listed.out()).contains("bob").contains("viewer").contains("yes");

        CommandLineRun token = keel(env(), "tokens", "create", "--user", "bob", "--description", "ci", "--expires-in-days", "30");
        assertThat(token.exitCode()).as(token.toString()).isZero();
        String secret = token.out().strip();
        assertThat(secret).startsWith("keel_");
        assertThat(token.err()).contains("cannot show it again");

        CommandLineRun tokens = keel(env(), "tokens", "list", "--user", "bob");
        assertThat(tokens.out()).contains("ci").doesNotContain(secret);
        String tokenId = tokens.out().lines().skip(1).findFirst().orElseThrow().split("\\s+")[0];

        assertThat(keel(env(), "tokens", "revoke", tokenId).exitCode()).isZero();
        CommandLineRun again = keel(env(), "tokens", "revoke", tokenId);
        assertThat(again.exitCode()).isNotZero();
        assertThat(again.err()).contains("already revoked");
    }

    @Test
    void a_bad_role_is_refused_naming_the_option() {
        CommandLineRun refused = keel(env(), "users", "create", "carol", "--role", "owner");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.err()).contains("'role'");
    }

    @Test
    void the_cli_signs_in_to_a_server_with_keel_token() {
        assertThat(keel(env(), "users", "create", "alice", "--role", "member").exitCode()).isZero();
        String secret = keel(env(), "tokens", "create", "--user", "alice").out().strip();
        KeelConfig config = new KeelConfig(home, null, null, null, 0);
        try (KeelPlatform platform = KeelPlatform.open(config, PlatformOptions.defaults().withAuthentication(Authentication.on()));
             KeelServer server = KeelServer.start(platform, "127.0.0.1", 0)) {
            String url = server.uri().toString();
            CommandLineRun signedIn = keel(env("KEEL_URL", url, "KEEL_TOKEN", secret), "experiments", "create", "by-alice");
            assertThat(signedIn.exitCode()).as(signedIn.toString()).isZero();

            CommandLineRun anonymous = keel(env("KEEL_URL", url), "experiments", "list");
            assertThat(anonymous.exitCode()).isNotZero();
            assertThat(anonymous.err()).contains("sign in");
        }
    }
}
