package dev.keel.server.http;

import dev.keel.api.http.Operation;
import dev.keel.api.http.Payload;
import dev.keel.api.http.QueryParameter;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;

import java.lang.reflect.Type;
import java.util.List;

/**
 * One endpoint the server answers: an {@link Operation} (what it is, for registration and for
 * the OpenAPI document) and the handler that answers it, in one value so the two cannot drift
 * apart. The native API's operations are keel-api's, shared with the client; the routes of the
 * other protocols (MLflow, OIP) and the server's own ({@code /health}) are described here with
 * the same builders.
 */
public record Route(Operation<?, ?> operation, Handler handler) {

    public static Route of(Operation<?, ?> operation, Handler handler) {
        return new Route(operation, handler);
    }

    public static Route get(String path, String summary) {
        return new Route(Operation.get(path, summary), null);
    }

    public static Route post(String path, String summary) {
        return new Route(Operation.post(path, summary), null);
    }

    public static Route put(String path, String summary) {
        return new Route(Operation.put(path, summary), null);
    }

    public static Route patch(String path, String summary) {
        return new Route(Operation.patch(path, summary), null);
    }

    public static Route delete(String path, String summary) {
        return new Route(Operation.delete(path, summary), null);
    }

    public Route query(QueryParameter parameter) {
        return new Route(operation.query(parameter), handler);
    }

    public Route accepts(Class<?> type) {
        return new Route(operation.accepts(type), handler);
    }

    public Route acceptsBinary() {
        return new Route(operation.acceptsBinary(), handler);
    }

    public Route returns(int status, Class<?> type) {
        return new Route(operation.returns(status, type), handler);
    }

    public Route returns(Class<?> type) {
        return returns(200, type);
    }

    public Route returnsBinary() {
        return new Route(operation.returnsBinary(), handler);
    }

    public Route returnsText() {
        return new Route(operation.returnsText(), handler);
    }

    public Route handledBy(Handler newHandler) {
        return new Route(operation, newHandler);
    }

    public HandlerType method() {
        return HandlerType.findOrCreate(operation.method().name());
    }

    public String path() {
        return operation.path();
    }

    public String summary() {
        return operation.summary();
    }

    public List<QueryParameter> query() {
        return operation.query();
    }

    public Payload request() {
        return operation.request();
    }

    public int status() {
        return operation.status();
    }

    public Payload response() {
        return operation.response();
    }

    /** The names of the path parameters, in order: {@code run_id}, {@code key}. */
    public List<String> pathParameters() {
        return operation.pathParameters();
    }

    /** The path in OpenAPI's syntax, where every parameter is written {@code {name}}. */
    public String openApiPath() {
        return operation.openApiPath();
    }

    /** The type a JSON answer is written as, for the routes that stream theirs. */
    public Type answerType() {
        return operation.answerType();
    }
}
