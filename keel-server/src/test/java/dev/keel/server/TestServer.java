package dev.keel.server;

import dev.keel.api.tracking.TrackingService;
import dev.keel.client.KeelClient;
import dev.keel.core.Ids;
import dev.keel.store.LocalArtifactStore;
import dev.keel.store.TestDatabases;
import dev.keel.store.TestDatabases.TestDatabase;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.SplittableRandom;

/** A real Keel server on a free port over a fresh database, with a raw HTTP client and the SDK. */
final class TestServer implements AutoCloseable {
    private static final HttpClient RAW = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    final TestDatabase database;
    final KeelPlatform platform;
    final KeelServer server;

    private TestServer(TestDatabase database, KeelPlatform platform, KeelServer server) {
        this.database = database;
        this.platform = platform;
        this.server = server;
    }

    static TestServer start(TestDatabases.Kind kind, Path dir) {
        return start(kind, dir, ServerOptions.defaults());
    }

    static TestServer start(TestDatabases.Kind kind, Path dir, ServerOptions options) {
        TestDatabase database = TestDatabases.open(kind, dir);
        KeelPlatform platform = KeelPlatform.on(database.database(), new LocalArtifactStore(dir.resolve("artifacts")),
                Clock.systemUTC(), new Ids(new SplittableRandom(42)), PlatformOptions.defaults());
        return new TestServer(database, platform, KeelServer.start(platform, "127.0.0.1", 0, options));
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
        return send(request.build());
    }

    HttpResponse<String> json(String method, String pathAndQuery, String body) {
        return send(method, pathAndQuery, "application/json", body);
    }

    HttpResponse<String> get(String pathAndQuery) {
        return send("GET", pathAndQuery, null, null);
    }

    static HttpResponse<String> send(HttpRequest request) {
        try {
            return RAW.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            try {
                platform.close();
            } finally {
                database.close();
            }
        }
    }
}
