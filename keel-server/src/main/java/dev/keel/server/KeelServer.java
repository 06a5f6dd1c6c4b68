package dev.keel.server;

import dev.keel.api.http.Operation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.server.http.AccessRoutes;
import dev.keel.server.http.ApprovalRoutes;
import dev.keel.server.http.AuditRoutes;
import dev.keel.server.http.EndpointRoutes;
import dev.keel.server.http.ErrorResponses;
import dev.keel.server.http.JsonBodies;
import dev.keel.server.http.OpenApiDocument;
import dev.keel.server.http.RegistryRoutes;
import dev.keel.server.http.RequestActor;
import dev.keel.server.http.RouteBinder;
import dev.keel.server.http.Route;
import dev.keel.server.http.TrackingRoutes;
import dev.keel.server.inference.InferenceAccess;
import dev.keel.server.inference.InferenceRoutes;
import dev.keel.api.http.WireFormat;
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
        routes.add(health());
        routes.add(Route.of(Operation.get("/api/docs", "This OpenAPI 3 document").returns(JsonNode.class),
                ctx -> ctx.contentType(JsonBodies.JSON).result(openApi.get())));
        // inference first: Javalin tries a method's routes in order, one regular expression each (a
        // Matcher allocated per try), and inference is the hot path — see docs/PERFORMANCE.md, "Serving"
        ServingParts serving = platform.serving();
        routes.addAll(new InferenceRoutes(serving.inference(), serving.router(), mapper, options.inferenceLimits(),
                options.defaultEndpoint(), VERSION).routes());
        RouteBinder bind = new RouteBinder(json, actors);
        routes.addAll(new TrackingRoutes(platform.tracking()).routes(bind));
        routes.addAll(new RegistryRoutes(platform.registry()).routes(bind));
        routes.addAll(new AccessRoutes(platform.access()).routes(bind));
        routes.addAll(new ApprovalRoutes(platform.approvals()).routes(bind));
        routes.addAll(new AuditRoutes(platform.audit()).routes(bind));
        routes.addAll(new EndpointRoutes(serving.endpoints()).routes(bind));
        if (authentication) {
            // inference needs USE on the served models (READ for metadata); decisions are cached a few seconds
            new InferenceAccess(platform.access(), serving.router(), actors, options.defaultEndpoint()).guard(routes);
        }
        routes.add(metrics(serving.metrics()));
        try {
            openApi.set(mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(OpenApiDocument.of(routes, mapper, VERSION)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot render the OpenAPI document", e);
        }

        // MLflow's protocol over the same services; left out of /api/docs, which documents Keel's own API
        List<Route> mlflow = MlflowRoutes.of(platform.tracking(), platform.registry(), options.maxJsonBodyBytes(), actors,
                VERSION);

        KeelServer server = listen(host, port, options, json, routes, mlflow, authentication ? actors : null);
        log.info("Keel listening on {} — store: {}; artifacts: {}", server.uri(), platform.location(),
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

    /**
     * The standalone serving process ({@code keel serve}): the inference routes for the one model
     * {@code serving} holds — the Open Inference Protocol under {@code /v2}, {@code /invocations},
     * the endpoint's invocations and native predict — with {@code /health} and {@code /metrics}.
     * No tracking, registry, approvals or endpoint API, nothing persisted and no sign-in: like
     * MLflow's scoring server, it answers whoever reaches its port, so the network decides who may.
     * The {@code /versions/{v}} routes answer for the served version only: a replica must not
     * become a way to run any model its registry holds.
     */
    public static KeelServer serving(StandaloneServing serving, String host, int port, ServerOptions options) {
        ObjectMapper mapper = WireFormat.newMapper();
        JsonBodies json = new JsonBodies(mapper, options.maxJsonBodyBytes());
        List<Route> routes = new ArrayList<>();
        routes.add(health());
        for (Route route : new InferenceRoutes(serving.inference(), serving.router(), mapper, options.inferenceLimits(),
                serving.name(), VERSION).routes()) {
            routes.add(route.path().startsWith("/v2/models/{name}/versions/") ? servedVersionOnly(route, serving) : route);
        }
        routes.add(metrics(serving.metrics()));
        KeelServer server = listen(host, port, options, json, routes, List.of(), null);
        log.info("Keel serving {} as '{}' on {}", serving.served(), serving.name(), server.uri());
        return server;
    }

    private static Route health() {
        return Route.of(Operation.get("/health", "Liveness: answers OK while the server runs").returnsText(),
                ctx -> ctx.contentType("text/plain").result("OK"));
    }

    private static Route metrics(io.micrometer.prometheusmetrics.PrometheusMeterRegistry registry) {
        return Route.of(Operation.get("/metrics", "Prometheus exposition: inference requests, errors and latency per endpoint"
                + " and variant, model loads, loaded models, memory").returnsText(),
                ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(registry.scrape()));
    }

    /** {@code route} answering only for the version being served; any other is a 404 in OIP's error shape. */
    private static Route servedVersionOnly(Route route, StandaloneServing serving) {
        io.javalin.http.Handler inner = route.handler();
        return route.handledBy(ctx -> {
            dev.keel.serving.runtime.ModelKey served = serving.served();
            String version = ctx.pathParam("version");
            if (ctx.pathParam("name").equals(served.name()) && version.equals(Long.toString(served.version()))) {
                inner.handle(ctx);
                return;
            }
            ctx.status(404).json(java.util.Map.of("error", "this server serves only model '" + served.name()
                    + "' version " + served.version() + " (as '" + serving.name() + "')"));
        });
    }

    /**
     * Listens with {@code routes} and {@code unlisted} (served, but left out of {@code /api/docs}):
     * graceful shutdown, Keel's error bodies, and sign-in before every route but the open ones
     * when {@code signIn} is not null. What the full server and the standalone serving process
     * ({@link #serving}) share.
     */
    private static KeelServer listen(String host, int port, ServerOptions options, JsonBodies json, List<Route> routes,
                                     List<Route> unlisted, RequestActor signIn) {
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
            for (Route route : unlisted) {
                config.routes.addHttpHandler(route.method(), route.path(), route.handler());
            }
            if (signIn != null) {
                // every route but liveness and the API's description signs in before it runs
                config.routes.beforeMatched(ctx -> {
                    if (!OPEN_PATHS.contains(ctx.path())) {
                        signIn.of(ctx);
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
