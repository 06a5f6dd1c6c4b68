package dev.keel.client;

import dev.keel.api.Keel;
import dev.keel.api.KeelServices;
import dev.keel.api.http.WireFormat;
import dev.keel.core.Checks;
import dev.keel.core.KeelException;

import java.net.URI;
import java.net.http.HttpClient;

/**
 * The Java SDK: {@link Keel} over HTTP to a Keel server. Each service implements the same
 * interface as its embedded counterpart, so code written against one runs against the other.
 *
 * <pre>{@code
 * Keel keel = KeelClient.connect(URI.create("http://127.0.0.1:5005"));
 * TrackingService tracking = keel.tracking();
 * RegistryService registry = keel.registry();
 * ApprovalService approvals = keel.approvals();   // also audit(), access() and endpoints()
 * }</pre>
 *
 * <p>A server started with authentication wants a token: {@code KeelClient.connect(url, token)}.
 */
public final class KeelClient implements Keel {
    private final URI baseUrl;
    private final KeelServices services;

    private KeelClient(URI baseUrl, HttpClient http, String token) {
        this.baseUrl = baseUrl;
        KeelConnection connection = new KeelConnection(baseUrl, http, WireFormat.newMapper(), token);
        this.services = new KeelServices(new RemoteTrackingService(connection), new RemoteRegistryService(connection),
                new RemoteApprovalService(connection), new RemoteAuditService(connection),
                new RemoteAccessService(connection), new RemoteEndpointService(connection));
    }

    /** A client of the server at {@code baseUrl} (such as {@code http://127.0.0.1:5005}); connects lazily. */
    public static KeelClient connect(URI baseUrl) {
        return connect(baseUrl, null);
    }

    /**
     * A client that signs every request in with the API token {@code token} (sent as
     * {@code Authorization: Bearer}); a null or blank token sends none.
     */
    public static KeelClient connect(URI baseUrl, String token) {
        Checks.requireNonNull("url", baseUrl);
        if (!"http".equalsIgnoreCase(baseUrl.getScheme()) && !"https".equalsIgnoreCase(baseUrl.getScheme())) {
            throw KeelException.invalid("Keel's URL must start with http:// or https:// (got '" + baseUrl + "')");
        }
        if (baseUrl.getHost() == null) {
            throw KeelException.invalid("Keel's URL must name a host (got '" + baseUrl + "')");
        }
        return new KeelClient(baseUrl, KeelConnection.defaultHttpClient(), token);
    }

    public URI baseUrl() {
        return baseUrl;
    }

    /** Each service speaks to the server over one pooled connection. */
    @Override
    public KeelServices services() {
        return services;
    }

    /** The server's URL. */
    @Override
    public String location() {
        return baseUrl.toString();
    }

    /** Nothing to release: the client holds only pooled connections, which die with the process. */
    @Override
    public void close() {
    }
}
