package dev.keel.server.inference;

import dev.keel.api.serving.Endpoint;
import dev.keel.core.Actor;
import dev.keel.core.Authorizer;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import dev.keel.core.Permission;
import dev.keel.core.Resource;
import dev.keel.server.http.RequestActor;
import dev.keel.server.http.Route;
import dev.keel.serving.endpoint.Router;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Who may call the inference routes when sign-in is required: serving a model is using it, so
 * inference needs USE on every registered model the endpoint serves (or on the model a
 * {@code /versions/{v}} route names), and the metadata and readiness routes need READ.
 *
 * <p>Asking the access tables on every request would cost more than the inference itself at
 * thousands of requests a second, so each decision, allowed or refused, is kept per
 * (actor, endpoint or model, permission) for {@link #DECISION_TTL}. The price: a grant or a
 * revocation, and a change of the models an endpoint serves, reach inference up to that long
 * after they were made. Only {@link #guard} installs this, and only on a server with sign-in
 * on; with authentication off the inference routes run unwrapped and pay nothing.
 */
public final class InferenceAccess {
    /** How long a decision is trusted before the access tables are asked again. */
    public static final Duration DECISION_TTL = Duration.ofSeconds(5);
    /** Past this many cached decisions the cache starts over, so no stream of names can grow it without end. */
    static final int MAX_DECISIONS = 10_000;

    private final Authorizer authorizer;
    private final Router router;
    private final RequestActor actors;
    private final String defaultEndpoint;
    private final LongSupplier nanoTime;
    private final long ttlNanos;
    private final Map<Key, Decision> decisions = new ConcurrentHashMap<>();

    private record Key(String actor, boolean endpoint, String name, Permission permission) {
    }

    /** {@code refusal} is null when allowed. */
    private record Decision(long expiresAt, String refusal) {
    }

    public InferenceAccess(Authorizer authorizer, Router router, RequestActor actors, String defaultEndpoint) {
        this(authorizer, router, actors, defaultEndpoint, System::nanoTime, DECISION_TTL);
    }

    InferenceAccess(Authorizer authorizer, Router router, RequestActor actors, String defaultEndpoint,
                    LongSupplier nanoTime, Duration ttl) {
        this.authorizer = authorizer;
        this.router = router;
        this.actors = actors;
        this.defaultEndpoint = defaultEndpoint;
        this.nanoTime = nanoTime;
        this.ttlNanos = ttl.toNanos();
    }

    /**
     * Replaces, in {@code routes}, each inference route's handler by one that checks the caller's
     * permission first; every other route is left as it is.
     */
    public void guard(List<Route> routes) {
        List<Route> guarded = new ArrayList<>(routes.size());
        for (Route route : routes) {
            guarded.add(guarded(route));
        }
        routes.clear();
        routes.addAll(guarded);
    }

    private Route guarded(Route route) {
        String path = route.path();
        Permission permission = route.method() == HandlerType.POST ? Permission.USE : Permission.READ;
        Handler inner = route.handler();
        Handler checked;
        if (path.startsWith("/v2/models/{name}/versions/{version}")) {
            checked = ctx -> {
                if (allowed(ctx, false, ctx.pathParam("name"), permission)) {
                    inner.handle(ctx);
                }
            };
        } else if (path.startsWith("/v2/models/{name}")
                || (path.startsWith("/endpoints/{name}/") && route.method() == HandlerType.POST)
                || path.equals("/api/v1/endpoints/{name}/predict")) {
            checked = ctx -> {
                if (allowed(ctx, true, ctx.pathParam("name"), permission)) {
                    inner.handle(ctx);
                }
            };
        } else if (path.equals("/invocations") && defaultEndpoint != null) {
            checked = ctx -> {
                if (allowed(ctx, true, defaultEndpoint, Permission.USE)) {
                    inner.handle(ctx);
                }
            };
        } else {
            return route;
        }
        return route.handledBy(checked);
    }

    /**
     * Whether the request may go on; a refusal is answered here (OIP's {@code {"error"}} under
     * {@code /v2}) or thrown for the native error body elsewhere. An unknown endpoint goes on, to
     * be answered 404 by the route as it would be without sign-in.
     */
    private boolean allowed(Context ctx, boolean endpoint, String name, Permission permission) {
        String refusal = decide(actors.of(ctx), endpoint, name, permission);
        if (refusal == null) {
            return true;
        }
        if (!ctx.path().startsWith("/v2/")) {
            throw new KeelException(ErrorCode.PERMISSION_DENIED, refusal);
        }
        String escaped = refusal.replace("\\", "\\\\").replace("\"", "\\\"");
        ctx.status(ErrorCode.PERMISSION_DENIED.httpStatus()).contentType("application/json")
                .result(("{\"error\": \"" + escaped + "\"}").getBytes(StandardCharsets.UTF_8));
        return false;
    }

    /** Null when allowed, else why not; from the cache while the decision is fresh. */
    String decide(Actor actor, boolean endpoint, String name, Permission permission) {
        Key key = new Key(actor.name(), endpoint, name, permission);
        long now = nanoTime.getAsLong();
        Decision cached = decisions.get(key);
        if (cached != null && now - cached.expiresAt() < 0) {
            return cached.refusal();
        }
        List<String> models;
        if (endpoint) {
            Endpoint served = router.endpoint(name);
            if (served == null) {
                return null;
            }
            models = List.copyOf(served.models());
        } else {
            models = List.of(name);
        }
        String refusal = null;
        try {
            for (String model : models) {
                authorizer.require(actor, permission, Resource.model(model));
            }
        } catch (KeelException e) {
            if (e.code() != ErrorCode.PERMISSION_DENIED) {
                throw e;
            }
            refusal = e.getMessage();
        }
        if (decisions.size() >= MAX_DECISIONS) {
            decisions.clear();
        }
        decisions.put(key, new Decision(now + ttlNanos, refusal));
        return refusal;
    }
}
