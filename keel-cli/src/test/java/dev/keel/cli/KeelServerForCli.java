package dev.keel.cli;

import dev.keel.core.KeelConfig;
import dev.keel.server.KeelPlatform;
import dev.keel.server.KeelServer;
import dev.keel.server.PlatformOptions;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A real Keel server on a free port over its own KEEL_HOME, as {@code keel server} runs one, for
 * commands sent to it with KEEL_URL from a client KEEL_HOME where nothing of the server's may land.
 */
final class KeelServerForCli implements AutoCloseable {
    final KeelPlatform platform;
    final KeelServer server;
    private final Path clientHome;

    private KeelServerForCli(KeelPlatform platform, Path clientHome) {
        this.platform = platform;
        this.server = KeelServer.start(platform, "127.0.0.1", 0);
        this.clientHome = clientHome;
    }

    static KeelServerForCli start(Path serverHome, Path clientHome) {
        return start(serverHome, clientHome, PlatformOptions.defaults());
    }

    static KeelServerForCli start(Path serverHome, Path clientHome, PlatformOptions options) {
        return new KeelServerForCli(KeelPlatform.open(new KeelConfig(serverHome, null, null, "127.0.0.1", 0), options),
                clientHome);
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

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            platform.close();
        }
    }
}
