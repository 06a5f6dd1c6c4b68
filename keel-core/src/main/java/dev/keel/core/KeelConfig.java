package dev.keel.core;

import java.nio.file.Path;
import java.util.Map;

/**
 * Everything the composition root needs to build a Keel, read once from flags and the
 * environment. {@code storeUrl} is null for the embedded SQLite database in {@code home}.
 */
public record KeelConfig(Path home, String storeUrl, Path artifactRoot, String host, int port) {
    public static final int DEFAULT_PORT = 5005;

    public KeelConfig {
        Checks.requireNonNull("home", home);
        if (artifactRoot == null) {
            artifactRoot = home.resolve("artifacts");
        }
        if (host == null || host.isBlank()) {
            host = "127.0.0.1";
        }
        if (port < 0 || port > 65535) {
            throw KeelException.invalid("'port' must be between 0 and 65535 (got " + port + ")");
        }
    }

    /** Defaults from the environment: {@code KEEL_HOME} (else ./.keel), {@code KEEL_STORE}. */
    public static KeelConfig fromEnvironment(Map<String, String> env) {
        Path home = Path.of(env.getOrDefault("KEEL_HOME", ".keel"));
        String store = env.get("KEEL_STORE");
        String artifacts = env.get("KEEL_ARTIFACTS");
        return new KeelConfig(home, store == null || store.isBlank() ? null : store,
                artifacts == null || artifacts.isBlank() ? null : Path.of(artifacts), null, DEFAULT_PORT);
    }

    public KeelConfig withStore(String url) {
        return new KeelConfig(home, url, artifactRoot, host, port);
    }

    public KeelConfig withArtifactRoot(Path root) {
        return new KeelConfig(home, storeUrl, root, host, port);
    }

    public KeelConfig withListen(String host, int port) {
        return new KeelConfig(home, storeUrl, artifactRoot, host, port);
    }

    /** The SQLite database file of an embedded Keel. */
    public Path sqliteFile() {
        return home.resolve("keel.db");
    }
}
