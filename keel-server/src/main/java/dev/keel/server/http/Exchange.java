package dev.keel.server.http;

import dev.keel.api.http.Operation;
import dev.keel.api.http.Payload;
import dev.keel.core.Actor;
import dev.keel.core.KeelException;
import io.javalin.http.Context;

import java.util.List;

/**
 * One request to a native route as its handler sees it: who asks, the path's and the query's
 * values, the body as the operation's type. A query parameter the operation does not document
 * cannot be read, so what {@code /api/docs} says a route reads is what it reads.
 *
 * @param <B> the operation's body type
 */
public final class Exchange<B> {
    private final Context ctx;
    private final Operation<B, ?> operation;
    private final JsonBodies json;
    private final RequestActor actors;

    Exchange(Context ctx, Operation<B, ?> operation, JsonBodies json, RequestActor actors) {
        this.ctx = ctx;
        this.operation = operation;
        this.json = json;
        this.actors = actors;
    }

    /** The caller: signed in, or the server's actor when sign-in is off. */
    public Actor actor() {
        return actors.of(ctx);
    }

    public String path(String name) {
        return ctx.pathParam(name);
    }

    /** A path value that must be a positive integer (a version, a request id), or a 400 naming it. */
    public long positive(String name) {
        String text = ctx.pathParam(name);
        try {
            long value = Long.parseLong(text);
            if (value >= 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw KeelException.invalid("'" + name + "' must be a positive integer (got '"
                + (text.length() > 64 ? text.substring(0, 64) + "…" : text) + "')");
    }

    /** The JSON body as the operation's type; never null. */
    @SuppressWarnings("unchecked")
    public B body() {
        if (!(operation.request() instanceof Payload.Json body)) {
            throw new IllegalStateException(operation.method() + " " + operation.path() + " takes no JSON body");
        }
        return json.read(ctx, (Class<B>) body.type());
    }

    /** The body, or null when the request came without one (an optional reason). */
    public B optionalBody() {
        return ctx.req().getContentLengthLong() == 0 ? null : body();
    }

    /** The query parameter as sent: null when absent, possibly empty. */
    public String query(String name) {
        operation.queryParameter(name);
        return Queries.text(ctx, name);
    }

    /** The query parameter, or null when it is absent or empty. */
    public String given(String name) {
        String value = query(name);
        return value == null || value.isEmpty() ? null : value;
    }

    public List<String> queries(String name) {
        operation.queryParameter(name);
        return Queries.texts(ctx, name);
    }

    public int integer(String name, int absent) {
        operation.queryParameter(name);
        return Queries.integer(ctx, name, absent);
    }

    public <E extends Enum<E>> E enumeration(String name, Class<E> type) {
        operation.queryParameter(name);
        return Queries.enumeration(ctx, name, type);
    }

    /** The request itself, for a route that streams its answer. */
    public Context context() {
        return ctx;
    }
}
