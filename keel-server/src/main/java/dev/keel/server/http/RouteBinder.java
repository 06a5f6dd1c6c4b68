package dev.keel.server.http;

import dev.keel.api.http.Operation;

/**
 * Binds the native API's operations to service calls: a handler gets the request as an
 * {@link Exchange} and returns what the service answered, which is written with the
 * operation's status, or it answers nothing and the route says 204. Reading the body,
 * signing in and rendering happen here once, for every route.
 */
public final class RouteBinder {
    private final JsonBodies json;
    private final RequestActor actors;

    public RouteBinder(JsonBodies json, RequestActor actors) {
        this.json = json;
        this.actors = actors;
    }

    /** A call whose answer is one JSON document. */
    @FunctionalInterface
    public interface Answer<B, R> {
        R answer(Exchange<B> exchange) throws Exception;
    }

    /** A call that answers nothing (204). */
    @FunctionalInterface
    public interface Action<B> {
        void perform(Exchange<B> exchange) throws Exception;
    }

    public <B, R> Route answer(Operation<B, R> operation, Answer<B, R> answer) {
        return Route.of(operation, ctx -> json.write(ctx, operation.status(),
                answer.answer(new Exchange<>(ctx, operation, json, actors))));
    }

    public <B> Route perform(Operation<B, Void> operation, Action<B> action) {
        return Route.of(operation, ctx -> {
            action.perform(new Exchange<>(ctx, operation, json, actors));
            ctx.status(204);
        });
    }

    /** A route that writes its own answer (a stream, a file, lines of JSON). */
    public <B> Route handle(Operation<B, ?> operation, Action<B> handler) {
        return Route.of(operation, ctx -> handler.perform(new Exchange<>(ctx, operation, json, actors)));
    }

    public JsonBodies json() {
        return json;
    }
}
