package dev.keel.cli;

import dev.keel.api.access.AccessService;
import dev.keel.api.approval.ApprovalService;
import dev.keel.api.audit.AuditService;
import dev.keel.api.registry.RegistryService;
import dev.keel.api.serving.EndpointService;
import dev.keel.api.tracking.TrackingService;
import dev.keel.client.KeelClient;
import dev.keel.core.KeelConfig;
import dev.keel.core.KeelException;
import dev.keel.server.KeelPlatform;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;

/**
 * The one place the CLI chooses how it reaches Keel: a remote server when {@code KEEL_URL} is
 * set (signing in with the API token in {@code KEEL_TOKEN}, if any), otherwise the embedded platform on the local store. Every command goes through
 * {@link #tracking()}, {@link #registry()}, {@link #approvals()}, {@link #audit()} and {@link #access()} and never
 * knows which one it got.
 */
public sealed interface KeelSession extends AutoCloseable permits KeelSession.Embedded, KeelSession.Remote {

    TrackingService tracking();

    RegistryService registry();

    ApprovalService approvals();

    AuditService audit();

    AccessService access();

    /** Serving endpoints and their rollouts. */
    EndpointService endpoints();

    /** Where the data lives, for messages: a store location or a server URL. */
    String location();

    @Override
    void close();

    static KeelSession open(Map<String, String> env) {
        String url = env.get("KEEL_URL");
        if (url != null && !url.isBlank()) {
            return new Remote(serverUri(url.strip()), env.get("KEEL_TOKEN"));
        }
        return new Embedded(KeelPlatform.open(KeelConfig.fromEnvironment(env)));
    }

    /** The platform in this process, on SQLite in {@code KEEL_HOME} or on the store {@code KEEL_STORE} names. */
    record Embedded(KeelPlatform platform) implements KeelSession {
        @Override
        public TrackingService tracking() {
            return platform.tracking();
        }

        @Override
        public RegistryService registry() {
            return platform.registry();
        }

        @Override
        public ApprovalService approvals() {
            return platform.approvals();
        }

        @Override
        public AuditService audit() {
            return platform.auditService();
        }

        @Override
        public AccessService access() {
            return platform.access();
        }

        @Override
        public EndpointService endpoints() {
            return platform.serving().endpoints();
        }

        @Override
        public String location() {
            return platform.storeDescription();
        }

        @Override
        public void close() {
            platform.close();
        }
    }

    /** A Keel server over HTTP. */
    record Remote(URI url, KeelClient client) implements KeelSession {
        Remote(URI url) {
            this(url, KeelClient.connect(url));
        }

        /** Signs every request in with {@code token} (KEEL_TOKEN) when one is given. */
        Remote(URI url, String token) {
            this(url, KeelClient.connect(url, token));
        }

        @Override
        public TrackingService tracking() {
            return client.tracking();
        }

        @Override
        public RegistryService registry() {
            return client.registry();
        }

        @Override
        public ApprovalService approvals() {
            return client.approvals();
        }

        @Override
        public AuditService audit() {
            return client.audit();
        }

        @Override
        public AccessService access() {
            return client.access();
        }

        @Override
        public EndpointService endpoints() {
            return client.endpoints();
        }

        @Override
        public String location() {
            return url.toString();
        }

        @Override
        public void close() {
            // the client holds no resources beyond pooled connections, which die with the process
        }
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
