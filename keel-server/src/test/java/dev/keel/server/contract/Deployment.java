package dev.keel.server.contract;

import dev.keel.api.Keel;
import dev.keel.client.KeelClient;
import dev.keel.core.Actor;
import dev.keel.core.Ids;
import dev.keel.core.Role;
import dev.keel.governance.access.AccessControl;
import dev.keel.registry.approval.ApprovalPolicy;
import dev.keel.server.Authentication;
import dev.keel.server.KeelPlatform;
import dev.keel.server.KeelServer;
import dev.keel.server.PlatformOptions;
import dev.keel.server.ServerOptions;
import dev.keel.store.Database;
import dev.keel.store.LocalArtifactStore;
import dev.keel.store.StoreUrl;
import dev.keel.store.TestDatabases;
import dev.keel.store.TestDatabases.TestDatabase;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Keel as a contract suite meets it on one {@link Backend}: the platform on a fresh database,
 * called in-process, or behind a real server on a free port and called through the SDK. The
 * platform underneath is always at hand, for what a suite does behind the service's back
 * (damage a blob, tamper with the audit table, move the clock, tick the rollouts).
 *
 * <p>With sign-in required, each user of {@link Setup#users} (and {@code admin}) is created with
 * a token; {@link #as(String)} is Keel as that user: the platform itself in-process (the caller
 * passes the actor), an SDK signed in with the user's token over HTTP.
 */
public final class Deployment implements AutoCloseable {
    public static final Actor ADMIN = new Actor(AccessControl.ADMIN);
    /** Raw requests go as HTTP/1.1, as the SDK's do. */
    private static final HttpClient RAW = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final Backend backend;
    private final Path dir;
    private final TestDatabase database;
    private final LocalArtifactStore artifacts;
    private final KeelPlatform platform;
    private final KeelServer server;
    private final Map<String, String> tokens;
    private final Clock clock;
    private final PlatformOptions options;
    /** The platforms {@link #anotherPlatform()} opened, each with its pool, closed with this deployment. */
    private final List<KeelPlatform> others = new ArrayList<>();
    private final List<Database> otherPools = new ArrayList<>();
    /** The SDK, anonymous and per user (each client holds its own connection pool, so they are made once). */
    private final Map<String, KeelClient> clients = new LinkedHashMap<>();

    /**
     * How the platform runs.
     *
     * @param users  with sign-in required: the users to create, by role
     * @param server how an HTTP backend's server runs; without sign-in it acts as the server's actor
     * @param policy the approval policy; null for Keel's default
     */
    public record Setup(Authentication authentication, Map<String, Role> users, ServerOptions server, Clock clock,
                        ApprovalPolicy policy) {
        public Setup {
            users = Map.copyOf(users);
        }

        /** No sign-in; a server runs with {@code options}. */
        public static Setup serving(ServerOptions options) {
            return new Setup(Authentication.OFF, Map.of(), options, Clock.systemUTC(), null);
        }

        /** No sign-in; a server acts as {@code actor} (the suite's own actor). */
        public static Setup actingAs(Actor actor) {
            return serving(ServerOptions.defaults().withActor(actor));
        }

        /** Sign-in required, with these users and {@code admin}. */
        public static Setup signedIn(Map<String, Role> users) {
            return new Setup(Authentication.on(), users, ServerOptions.defaults(), Clock.systemUTC(), null);
        }

        public Setup withClock(Clock newClock) {
            return new Setup(authentication, users, server, newClock, policy);
        }

        public Setup withPolicy(ApprovalPolicy newPolicy) {
            return new Setup(authentication, users, server, clock, newPolicy);
        }

        public Setup withAuthentication(Authentication newAuthentication) {
            return new Setup(newAuthentication, users, server, clock, policy);
        }
    }

    private Deployment(Backend backend, Path dir, TestDatabase database, LocalArtifactStore artifacts,
                       KeelPlatform platform, KeelServer server, Map<String, String> tokens, Clock clock,
                       PlatformOptions options) {
        this.backend = backend;
        this.dir = dir;
        this.database = database;
        this.artifacts = artifacts;
        this.platform = platform;
        this.server = server;
        this.tokens = tokens;
        this.clock = clock;
        this.options = options;
    }

    public static Deployment open(Backend backend, Setup setup) {
        Path dir;
        try {
            dir = Files.createTempDirectory("keel-contract-" + backend.name().toLowerCase());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TestDatabase database;
        try {
            database = TestDatabases.open(backend.database(), dir);
        } catch (RuntimeException | Error e) {  // PostgreSQL skipped (an aborted assumption) or unreachable
            deleteQuietly(dir);
            throw e;
        }
        LocalArtifactStore artifacts = new LocalArtifactStore(dir.resolve("artifacts"));
        PlatformOptions options = new PlatformOptions(setup.authentication(), setup.policy(), null);
        KeelPlatform platform = KeelPlatform.on(database.database(), artifacts, setup.clock(),
                new Ids(new SplittableRandom(42)), options);
        Map<String, String> tokens = new LinkedHashMap<>();
        if (setup.authentication().required()) {
            AccessControl access = platform.access();
            access.bootstrap("admin-password", Duration.ofHours(1));
            tokens.put(AccessControl.ADMIN, access.createToken(ADMIN, AccessControl.ADMIN, "tests", null).secret());
            for (Map.Entry<String, Role> user : setup.users().entrySet()) {
                access.createUser(ADMIN, user.getKey(), null, user.getValue());
                tokens.put(user.getKey(), access.createToken(ADMIN, user.getKey(), "tests", null).secret());
            }
        }
        KeelServer server = backend.http() ? KeelServer.start(platform, "127.0.0.1", 0, setup.server()) : null;
        return new Deployment(backend, dir, database, artifacts, platform, server, tokens, setup.clock(), options);
    }

    public Backend backend() {
        return backend;
    }

    /** Keel as the suite calls it: the platform in-process, or the SDK to the server. */
    public Keel keel() {
        return server == null ? platform : clients.computeIfAbsent("", anyone -> KeelClient.connect(server.uri()));
    }

    /** Keel as {@code user} calls it (sign-in required): the platform in-process, the SDK with the user's token over HTTP. */
    public Keel as(String user) {
        if (server == null) {
            return platform;
        }
        String token = tokenOf(user);
        return clients.computeIfAbsent(user, signedIn -> KeelClient.connect(server.uri(), token));
    }

    /** The platform itself, for what a suite does behind the services' back. */
    public KeelPlatform platform() {
        return platform;
    }

    /** The database under the platform, for changes behind its back (tampering with the audit table). */
    public Database database() {
        return database.database();
    }

    /**
     * Another platform on this deployment's database, through a connection pool of its own: a
     * second server process on the same database, or this one after a restart. It knows only
     * what the database holds (its router is primed from it); it shares the clock, the options
     * and the artifact store, and is closed with the deployment.
     */
    public KeelPlatform anotherPlatform() {
        Database pool = Database.open(sameStorage(database.database()));
        otherPools.add(pool);
        KeelPlatform other = KeelPlatform.on(pool, artifacts, clock, Ids.secure(), options);
        others.add(other);
        return other;
    }

    private static StoreUrl sameStorage(Database database) {
        try (Connection connection = database.dataSource().getConnection()) {
            return new StoreUrl(database.dialect(), connection.getMetaData().getURL());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot tell where the test database is: " + e.getMessage(), e);
        }
    }

    /** The artifact store the platform keeps its blobs in. */
    public LocalArtifactStore artifacts() {
        return artifacts;
    }

    /** The API token of {@code user} (sign-in required). */
    public String token(String user) {
        return tokens.get(user);
    }

    /** The server, or null in-process. */
    public KeelServer server() {
        return server;
    }

    /**
     * A raw request to the server as {@code user} (null: anonymous), for what the SDK hides: status
     * codes, headers, the JSON of an answer. {@code body} is JSON or null.
     */
    public HttpResponse<String> send(String user, String method, String pathAndQuery, String body) {
        if (server == null) {
            throw new IllegalStateException("no server on " + backend + ": raw HTTP needs an HTTP backend");
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri().resolve(pathAndQuery))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (user != null) {
            request.header("Authorization", "Bearer " + tokenOf(user));
        }
        return send(request.build());
    }

    /** Sends {@code request} as it is, as HTTP/1.1 (as the SDK does), for a test that shapes its own requests. */
    public static HttpResponse<String> send(HttpRequest request) {
        try {
            return RAW.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String tokenOf(String user) {
        String token = tokens.get(user);
        if (token == null) {
            throw new IllegalArgumentException("no test user " + user);
        }
        return token;
    }

    @Override
    public void close() {
        try {
            others.forEach(KeelPlatform::close);
            otherPools.forEach(Database::close);
            if (server != null) {
                server.close();
            }
        } finally {
            try {
                platform.close();
            } finally {
                database.close();
                deleteQuietly(dir);
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
