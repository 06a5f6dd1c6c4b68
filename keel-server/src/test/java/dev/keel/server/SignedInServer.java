package dev.keel.server;

import dev.keel.client.KeelClient;
import dev.keel.core.Actor;
import dev.keel.core.Ids;
import dev.keel.core.Role;
import dev.keel.governance.access.AccessControl;
import dev.keel.store.LocalArtifactStore;
import dev.keel.store.TestDatabases;
import dev.keel.store.TestDatabases.TestDatabase;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A real Keel server with authentication on, over a fresh database, with users of the given
 * roles (and {@code admin}) each holding a token: the SDK and raw HTTP as any of them.
 */
final class SignedInServer implements AutoCloseable {
    static final Actor ADMIN = new Actor(AccessControl.ADMIN);

    final TestDatabase database;
    final KeelPlatform platform;
    final KeelServer server;
    private final Map<String, String> tokens = new LinkedHashMap<>();

    private SignedInServer(TestDatabase database, KeelPlatform platform, KeelServer server) {
        this.database = database;
        this.platform = platform;
        this.server = server;
    }

    static SignedInServer start(TestDatabases.Kind kind, Path dir, Map<String, Role> users) {
        TestDatabase database = TestDatabases.open(kind, dir);
        KeelPlatform platform = KeelPlatform.on(database.database(), new LocalArtifactStore(dir.resolve("artifacts")),
                Clock.systemUTC(), new Ids(new SplittableRandom(11)), PlatformOptions.defaults().withAuthentication(Authentication.on()));
        AccessControl access = platform.access();
        access.bootstrap("admin-password", Duration.ofHours(1));
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put(AccessControl.ADMIN, access.createToken(ADMIN, AccessControl.ADMIN, "tests", null).secret());
        for (Map.Entry<String, Role> user : users.entrySet()) {
            access.createUser(ADMIN, user.getKey(), null, user.getValue());
            tokens.put(user.getKey(), access.createToken(ADMIN, user.getKey(), "tests", null).secret());
        }
        SignedInServer server = new SignedInServer(database, platform, KeelServer.start(platform, "127.0.0.1", 0));
        server.tokens.putAll(tokens);
        return server;
    }

    /** The SDK signed in as {@code user}. */
    KeelClient as(String user) {
        return KeelClient.connect(server.uri(), token(user));
    }

    String token(String user) {
        String token = tokens.get(user);
        if (token == null) {
            throw new IllegalArgumentException("no test user " + user);
        }
        return token;
    }

    /** A raw request as {@code user} (null: anonymous); {@code body} is JSON or null. */
    HttpResponse<String> send(String user, String method, String pathAndQuery, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri().resolve(pathAndQuery))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (user != null) {
            request.header("Authorization", "Bearer " + token(user));
        }
        return TestServer.send(request.build());
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
