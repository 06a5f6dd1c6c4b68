package dev.keel.server.http;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * One endpoint: what the server registers and what the OpenAPI document describes, in one
 * value, so the two cannot drift apart. Paths use Javalin's syntax: {@code {id}} is one
 * segment, {@code <path>} may span several (it may contain '/').
 */
public record Route(HandlerType method, String path, String summary, List<QueryParameter> query,
                    Payload request, int status, Payload response, Handler handler) {
    public Route {
        query = List.copyOf(query);
    }

    public static Route get(String path, String summary) {
        return of(HandlerType.GET, path, summary);
    }

    public static Route post(String path, String summary) {
        return of(HandlerType.POST, path, summary);
    }

    public static Route put(String path, String summary) {
        return of(HandlerType.PUT, path, summary);
    }

    public static Route patch(String path, String summary) {
        return of(HandlerType.PATCH, path, summary);
    }

    public static Route delete(String path, String summary) {
        return of(HandlerType.DELETE, path, summary);
    }

    private static Route of(HandlerType method, String path, String summary) {
        return new Route(method, path, summary, List.of(), Payload.NONE, 204, Payload.NONE, null);
    }

    public Route query(QueryParameter parameter) {
        List<QueryParameter> more = new ArrayList<>(query);
        more.add(parameter);
        return new Route(method, path, summary, more, request, status, response, handler);
    }

    public Route accepts(Type type) {
        return new Route(method, path, summary, query, new Payload.Json(type), status, response, handler);
    }

    public Route acceptsBinary() {
        return new Route(method, path, summary, query, Payload.BINARY, status, response, handler);
    }

    public Route returns(int status, Type type) {
        return new Route(method, path, summary, query, request, status, new Payload.Json(type), handler);
    }

    public Route returns(Type type) {
        return returns(200, type);
    }

    public Route returnsBinary() {
        return new Route(method, path, summary, query, request, 200, Payload.BINARY, handler);
    }

    /** Streams one JSON document of {@code type} per line ({@code application/x-ndjson}). */
    public Route returnsJsonLines(Type type) {
        return new Route(method, path, summary, query, request, 200, new Payload.JsonLines(type), handler);
    }

    public Route returnsText() {
        return new Route(method, path, summary, query, request, 200, Payload.TEXT, handler);
    }

    public Route handledBy(Handler handler) {
        return new Route(method, path, summary, query, request, status, response, handler);
    }

    /** The names of the path parameters, in order: {@code run_id}, {@code key}. */
    public List<String> pathParameters() {
        List<String> names = new ArrayList<>();
        for (String segment : path.split("/")) {
            if ((segment.startsWith("{") && segment.endsWith("}")) || (segment.startsWith("<") && segment.endsWith(">"))) {
                names.add(segment.substring(1, segment.length() - 1));
            }
        }
        return names;
    }

    /** The path in OpenAPI's syntax, where every parameter is written {@code {name}}. */
    public String openApiPath() {
        return path.replace('<', '{').replace('>', '}');
    }
}
