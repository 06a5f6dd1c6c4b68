package dev.keel.cli;

import dev.keel.core.KeelConfig;
import dev.keel.server.KeelPlatform;

import java.nio.file.Path;
import java.util.Map;

/**
 * A KEEL_HOME of a test's own, in which commands run embedded: the environment that names it, and
 * its store opened as the commands open it, to set up what they find or check what they did.
 */
final class LocalHome {
    private LocalHome() {
    }

    static Map<String, String> env(Path home) {
        return Map.of("KEEL_HOME", home.toString());
    }

    static KeelPlatform open(Path home) {
        return KeelPlatform.open(new KeelConfig(home, null, null, null, 0));
    }
}
