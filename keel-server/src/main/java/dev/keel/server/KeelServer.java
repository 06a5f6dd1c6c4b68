package dev.keel.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.server.http.AccessRoutes;
import dev.keel.server.http.ApprovalRoutes;
import dev.keel.server.http.AuditRoutes;
import dev.keel.server.http.ErrorResponses;
import dev.keel.server.http.JsonBodies;
import dev.keel.server.http.OpenApiDocument;
import dev.keel.server.http.RegistryRoutes;
import dev.keel.server.http.RequestActor;
import dev.keel.server.http.Route;
import dev.keel.server.http.TrackingRoutes;
import dev.keel.server.inference.InferenceRoutes;
import dev.keel.server.http.WireFormat;
import dev.keel.server.mlflow.MlflowRoutes;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.util.JavalinException;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Keel's HTTP server: the native REST API under {@code /api/v1}, {@code /health} and the OpenAPI
 * document at {@code /api/docs}, and MLflow's REST protocol under {@code /api/2.0/mlflow/} (see
 * {@link MlflowRoutes}), over the services of a {@link KeelPlatform} it does not own.
 */
public final class KeelServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KeelServer.class);
    static final String VERSION = "0.1.0";
    /** Liveness, readiness and the API's description answer without signing in: probes carry no tokens. */
    private static final java.util.Set<String> OPEN_PATHS = java.util.Set.of("/health", "/api/docs", "/v2/health/live",
            "/v2/health/ready");

    private final Javalin app;
    private final String host;
    private final int port;
    private final List<Route> routes;
    private final GracefulHandler graceful;
    private final Duration shutdownTimeout;

    private KeelServer(Javalin app, String host, int port, List<Route> routes, GracefulHandler graceful,
                       Duration shutdownTimeout) {
        this.app = app;
        this.shutdownTimeout = shutdownTimeout;
        this.graceful = graceful;
        this.host = host;
        this.port = port;
        this.routes = routes;
    }

    /** Starts listening on {@code host:port}; port 0 picks any free port (see {@link #port()}). */
    public static KeelServer start(KeelPlatform platform, String host, int port) {
        return start(platform, host, port, ServerOptions.defaults());
    }

    public static KeelServer start(KeelPlatform platform, String host, int port, ServerOptions options) {
        ObjectMapper mapper = WireFormat.newMapper();
        JsonBodies json = new JsonBodies(mapper, options.maxJsonBodyBytes());
        boolean authentication = platform.authentication().required();
        RequestActor actors = authentication ? new RequestActor(platform.access()) : new RequestActor(options.actor());
        AtomicReference<byte[]> openApi = new AtomicReference<>();

        List<Route> routes = new ArrayList<>();
        routes.add(Route.get("/health", "Liveness: answers OK while the server runs").returnsText()
                .handledBy(ctx -> ctx.contentType("text/plain").result("OK")));
        routes.add(Route.get("/api/docs", "This OpenAPI 3 document").returns(JsonNode.class)
                .handledBy(ctx -> ctx.contentType(JsonBodies.JSON).result(openApi.get())));
        routes.addAll(new TrackingRoutes(platform.tracking(), json, actors).routes());
        routes.addAll(new RegistryRoutes(platform.registry(), json, actors).routes());
        routes.addAll(new AccessRoutes(platform.access(), json, actors).routes());
        routes.addAll(new ApprovalRoutes(platform.approvals(), json, actors).routes());
        routes.addAll(new AuditRoutes(platform.auditService(), json, actors).routes());
        ServingParts serving = platform.serving();
        routes.addAll(new InferenceRoutes(serving.inference(), serving.router(), mapper, options.inferenceLimits(),
                options.defaultEndpoint(), VERSION).routes());
        routes.add(Route.get("/metrics", "Prometheus exposition: inference requests, errors and latency per endpoint"
                + " and variant, model loads, loaded models, memory").returnsText()
                .handledBy(ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                        .result(serving.metrics().scrape())));
        try {
            openApi.set(mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(OpenApiDocument.of(routes, mapper, VERSION)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot render the OpenAPI document", e);
        }

        // MLflow's protocol over the same services; left out of /api/docs, which documents Keel's own API
        List<Route> mlflow = MlflowRoutes.of(platform.tracking(), platform.registry(), options.maxJsonBodyBytes(), actors,
                VERSION);

        ErrorResponses errors = new ErrorResponses(json);
        GracefulHandler graceful = new GracefulHandler();
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.startup.startupWatcherEnabled = false;
            // metric histories and batches are compressed poorly per CPU spent; latency matters more here
            config.http.compressionStrategy = CompressionStrategy.NONE;
            // a tag key or artifact path may end in '/': it must reach the route as sent
            config.router.ignoreTrailingSlashes = false;
            config.jetty.modifyServer(server -> {
                // stop accepting, let requests in flight finish (up to the timeout), then stop
                server.insertHandler(graceful);
                server.setStopTimeout(options.shutdownTimeout().toMillis());
            });
            for (Route route : routes) {
                config.routes.addHttpHandler(route.method(), route.path(), route.handler());
            }
            for (Route route : mlflow) {
                config.routes.addHttpHandler(route.method(), route.path(), route.handler());
            }
            if (authentication) {
                // every route but liveness and the API's description signs in before it runs
                config.routes.beforeMatched(ctx -> {
                    if (!OPEN_PATHS.contains(ctx.path())) {
                        actors.of(ctx);
                    }
                });
            }
            errors.register(config.routes);
        });
        try {
            app.start(host, port);
        } catch (RuntimeException e) {
            app.stop();
            throw e;
        }
        KeelServer server = new KeelServer(app, host, app.port(), List.copyOf(routes), graceful,
                options.shutdownTimeout());
        log.info("Keel listening on {} — store: {}; artifacts: {}", server.uri(), platform.storeDescription(),
                platform.artifactsDescription());
        if (authentication) {
            log.info("authentication is on: requests sign in with a bearer token or HTTP Basic; users without a grant "
                    + "hold {} on experiments and models", platform.authentication().defaultPermission());
        } else {
            log.warn("authentication is off: every request acts as '{}' (start with --auth to require sign-in); "
                    + "do not expose this port beyond trusted hosts", actors.configured().name());
        }
        return server;
    }

    public int port() {
        return port;
    }

    public URI uri() {
        String shown = host.contains(":") ? "[" + host + "]" : host;
        if (host.equals("0.0.0.0") || host.equals("::")) {
            shown = "127.0.0.1";
        }
        return URI.create("http://" + shown + ":" + port());
    }

    /** How many requests are being handled right now (what a graceful stop waits for). */
    public long requestsInFlight() {
        return graceful.getCurrentRequestCount();
    }

    /** The native routes this server registered, in order: what {@code /api/docs} describes (MLflow's are not). */
    public List<Route> routes() {
        return routes;
    }

    /**
     * Stops gracefully: no new connections or requests are accepted, requests in flight finish
     * (up to the shutdown timeout), then the server stops. The platform stays open: its owner
     * closes it.
     */
    @Override
    public void close() {
        try {
            app.stop();
        } catch (JavalinException e) {
            if (!(e.getCause() instanceof TimeoutException)) {
                throw e;
            }
            // Jetty stops regardless once the timeout passes; the requests still running were cut off
            log.warn("Keel server on port {}: requests still in flight after {} were cut off", port, shutdownTimeout);
            return;
        }
        log.info("Keel server on port {} stopped", port);
    }
}
