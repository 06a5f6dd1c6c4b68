package dev.keel.server.http;

import dev.keel.api.http.Operation;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;


/**
 * One endpoint the server answers: an {@link Operation} (what it is, for registration and for
 * the OpenAPI document) and the handler that answers it, in one value so the two cannot drift
 * apart. The native API's operations are keel-api's, shared with the client; the routes of the
 * other protocols (MLflow, OIP) and the server's own ({@code /health}) describe theirs with the
 * same {@link Operation} builders.
 */
public record Route(Operation<?, ?> operation, Handler handler) {

    public static Route of(Operation<?, ?> operation, Handler handler) {
        return new Route(operation, handler);
    }

    /** The same operation answered by another handler (one that wraps this one, say). */
    public Route handledBy(Handler newHandler) {
        return new Route(operation, newHandler);
    }

    /** What Javalin binds the handler to: the operation's method and path. */
    public HandlerType method() {
        return HandlerType.findOrCreate(operation.method().name());
    }

    public String path() {
        return operation.path();
    }
}
