package dev.keel.cli;

import dev.keel.api.Keel;
import dev.keel.client.KeelClient;
import dev.keel.core.KeelConfig;
import dev.keel.core.KeelException;
import dev.keel.server.KeelPlatform;
import dev.keel.server.PlatformOptions;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;

/**
 * The one place the CLI chooses how it reaches Keel: a remote server when {@code KEEL_URL} is
 * set (signing in with the API token in {@code KEEL_TOKEN}, if any), otherwise the embedded
 * platform on the local store. Either way the commands get a {@link Keel} and never know which.
 */
public final class KeelSession {
    private KeelSession() {
    }

    public static Keel open(Map<String, String> env) {
        return open(env, PlatformOptions.defaults());
    }

    /** As {@link #open(Map)}, with {@code embedded} for the local platform (a server runs under its own options). */
    public static Keel open(Map<String, String> env, PlatformOptions embedded) {
        String url = env.get("KEEL_URL");
        if (url != null && !url.isBlank()) {
            return KeelClient.connect(serverUri(url.strip()), env.get("KEEL_TOKEN"));
        }
        return KeelPlatform.open(KeelConfig.fromEnvironment(env), embedded);
    }

    private static URI serverUri(String value) {
        try {
            URI uri = new URI(value);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw KeelException.invalid("KEEL_URL must be an http(s) URL such as http://127.0.0.1:5005 (got '" + value + "')");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw KeelException.invalid("KEEL_URL must be an http(s) URL such as http://127.0.0.1:5005 (got '" + value + "')");
        }
    }
}
