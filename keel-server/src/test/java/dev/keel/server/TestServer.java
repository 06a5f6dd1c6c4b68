package dev.keel.server;

import dev.keel.api.tracking.TrackingService;
import dev.keel.client.KeelClient;
import dev.keel.server.contract.Backend;
import dev.keel.server.contract.Deployment;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * A real Keel server on a free port over a fresh SQLite database, without sign-in (a
 * {@link Deployment} on {@link Backend#HTTP_SQLITE}), with a raw HTTP client and the SDK.
 */
final class TestServer implements AutoCloseable {
    final Deployment deployment;
    final KeelPlatform platform;
    final KeelServer server;

    private TestServer(Deployment deployment) {
        this.deployment = deployment;
        this.platform = deployment.platform();
        this.server = deployment.server();
    }

    static TestServer start() {
        return start(ServerOptions.defaults());
    }

    static TestServer start(ServerOptions options) {
        return new TestServer(Deployment.open(Backend.HTTP_SQLITE, Deployment.Setup.serving(options)));
    }

    TrackingService remote() {
        return KeelClient.connect(server.uri()).tracking();
    }

    URI uri(String pathAndQuery) {
        return URI.create(server.uri() + pathAndQuery);
    }

    HttpResponse<String> send(String method, String pathAndQuery, String contentType, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(pathAndQuery))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return Deployment.send(request.build());
    }

    HttpResponse<String> json(String method, String pathAndQuery, String body) {
        return send(method, pathAndQuery, "application/json", body);
    }

    HttpResponse<String> get(String pathAndQuery) {
        return send("GET", pathAndQuery, null, null);
    }

    @Override
    public void close() {
        deployment.close();
    }
}
