package dev.keel.cli;

import dev.keel.core.KeelConfig;
import dev.keel.server.KeelPlatform;
import dev.keel.server.KeelServer;
import dev.keel.server.PlatformOptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real Keel server on a free port over a KEEL_HOME of its own, as {@code keel server} runs one,
 * started before each test and stopped after it ({@code @RegisterExtension}), for commands sent to
 * it with KEEL_URL from a client KEEL_HOME where nothing of the server's may land.
 */
final class KeelServerForCli implements BeforeEachCallback, AfterEachCallback {
    private final PlatformOptions options;
    private final String approvalPolicy;
    private Path serverHome;
    private Path clientHome;
    private KeelPlatform platform;
    private KeelServer server;

    /** A server without sign-in, with Keel's default approval policy. */
    KeelServerForCli() {
        this(PlatformOptions.defaults(), null);
    }

    /** A server run with {@code options}, and {@code approvalPolicy} (null: none) in its home as the policy file. */
    KeelServerForCli(PlatformOptions options, String approvalPolicy) {
        this.options = options;
        this.approvalPolicy = approvalPolicy;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        serverHome = Files.createTempDirectory("keel-cli-server");
        clientHome = Files.createTempDirectory("keel-cli-client");
        if (approvalPolicy != null) {
            Files.writeString(serverHome.resolve("approval-policy.yaml"), approvalPolicy);
        }
        platform = KeelPlatform.open(new KeelConfig(serverHome, null, null, "127.0.0.1", 0), options);
        server = KeelServer.start(platform, "127.0.0.1", 0);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            server.close();
        } finally {
            platform.close();
            deleteQuietly(serverHome);
            deleteQuietly(clientHome);
        }
    }

    KeelPlatform platform() {
        return platform;
    }

    KeelServer server() {
        return server;
    }

    Path serverHome() {
        return serverHome;
    }

    /** The KEEL_HOME the CLI runs with: nothing of the server's may land there. */
    Path clientHome() {
        return clientHome;
    }

    /** The environment of a CLI using this server from the client home. */
    Map<String, String> env() {
        return env(null);
    }

    /** As {@link #env()}, signed in with {@code token} (null: anonymous), and {@code more} names and values. */
    Map<String, String> env(String token, String... more) {
        Map<String, String> env = new HashMap<>(Map.of("KEEL_URL", server.uri().toString(),
                "KEEL_HOME", clientHome.toString()));
        if (token != null) {
            env.put("KEEL_TOKEN", token);
        }
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return env;
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
