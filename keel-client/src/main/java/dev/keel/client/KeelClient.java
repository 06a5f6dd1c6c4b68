package dev.keel.client;

import dev.keel.api.Keel;
import dev.keel.api.access.AccessService;
import dev.keel.api.approval.ApprovalService;
import dev.keel.api.audit.AuditService;
import dev.keel.api.registry.RegistryService;
import dev.keel.api.serving.EndpointService;
import dev.keel.api.tracking.TrackingService;
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
    private final TrackingService tracking;
    private final RegistryService registry;
    private final ApprovalService approvals;
    private final AuditService audit;
    private final AccessService access;
    private final EndpointService endpoints;

    private KeelClient(URI baseUrl, HttpClient http, String token) {
        this.baseUrl = baseUrl;
        KeelConnection connection = new KeelConnection(baseUrl, http, WireFormat.newMapper(), token);
        this.tracking = new RemoteTrackingService(connection);
        this.registry = new RemoteRegistryService(connection);
        this.approvals = new RemoteApprovalService(connection);
        this.audit = new RemoteAuditService(connection);
        this.access = new RemoteAccessService(connection);
        this.endpoints = new RemoteEndpointService(connection);
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

    @Override
    public TrackingService tracking() {
        return tracking;
    }

    @Override
    public RegistryService registry() {
        return registry;
    }

    /** Approval requests and decisions for stage changes and protected aliases. */
    @Override
    public ApprovalService approvals() {
        return approvals;
    }

    /** The server's audit trail: verify, read, export, checkpoint (admins and approvers, with authentication on). */
    @Override
    public AuditService audit() {
        return audit;
    }

    /** Users, API tokens and permission grants. */
    @Override
    public AccessService access() {
        return access;
    }

    /** Serving endpoints, their traffic policies and canary rollouts. */
    @Override
    public EndpointService endpoints() {
        return endpoints;
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
