package dev.keel.api.http;

import com.fasterxml.jackson.core.type.TypeReference;

import java.io.InputStream;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * One call of Keel's native REST API, described once: its method and path, the query
 * parameters it reads, what it takes and what it answers. The server registers a handler for
 * it and documents it at {@code /api/docs}; the client fills it in ({@link #at}) and sends it.
 * Neither side spells a path or a body of its own, so they cannot drift apart.
 *
 * <p>Paths use one syntax on both sides: {@code {name}} is one segment, {@code <name>} may span
 * several (a tag key or an artifact path may contain '/').
 *
 * @param <B> what it takes: a JSON body's type, {@link InputStream} for streamed bytes, Void for nothing
 * @param <R> what it answers, likewise (Void for 204 No Content)
 */
public record Operation<B, R>(Method method, String path, String summary, List<QueryParameter> query,
                              Payload request, int status, Payload response) {

    public enum Method { GET, POST, PUT, PATCH, DELETE }

    private static final QueryParameter PAGE_TOKEN =
            QueryParameter.of("page_token", String.class, "from the previous page's next_page_token");

    public Operation {
        query = List.copyOf(query);
    }

    public static Operation<Void, Void> get(String path, String summary) {
        return of(Method.GET, path, summary);
    }

    public static Operation<Void, Void> post(String path, String summary) {
        return of(Method.POST, path, summary);
    }

    public static Operation<Void, Void> put(String path, String summary) {
        return of(Method.PUT, path, summary);
    }

    public static Operation<Void, Void> patch(String path, String summary) {
        return of(Method.PATCH, path, summary);
    }

    public static Operation<Void, Void> delete(String path, String summary) {
        return of(Method.DELETE, path, summary);
    }

    public static Operation<Void, Void> of(Method method, String path, String summary) {
        return new Operation<>(method, path, summary, List.of(), Payload.NONE, 204, Payload.NONE);
    }

    public Operation<B, R> query(QueryParameter parameter) {
        List<QueryParameter> more = new ArrayList<>(query);
        more.add(parameter);
        return new Operation<>(method, path, summary, more, request, status, response);
    }

    /** A search's parameters, in this order: a filter, the page size, sort clauses and the page token. */
    public Operation<B, R> searched(String filter, String pageSize, String orderBy) {
        return query(QueryParameter.of("filter", String.class, filter))
                .query(QueryParameter.of("max_results", Integer.class, pageSize))
                .query(QueryParameter.repeated("order_by", String.class, orderBy))
                .query(PAGE_TOKEN);
    }

    /** A paged list's parameters: the page size and the page token. */
    public Operation<B, R> paged(String pageSize) {
        return query(QueryParameter.of("max_results", Integer.class, pageSize)).query(PAGE_TOKEN);
    }

    public <T> Operation<T, R> accepts(Class<T> type) {
        return new Operation<>(method, path, summary, query, new Payload.Json(type), status, response);
    }

    public Operation<InputStream, R> acceptsBinary() {
        return new Operation<>(method, path, summary, query, Payload.BINARY, status, response);
    }

    public <T> Operation<B, T> returns(int status, Class<T> type) {
        return answering(status, new Payload.Json(type));
    }

    public <T> Operation<B, T> returns(Class<T> type) {
        return returns(200, type);
    }

    /** A generic answer, such as {@code new TypeReference<Page<Run>>() {}}. */
    public <T> Operation<B, T> returns(TypeReference<T> type) {
        return answering(200, new Payload.Json(type.getType()));
    }

    public Operation<B, InputStream> returnsBinary() {
        return answering(200, Payload.BINARY);
    }

    /** Streams one JSON document of {@code type} per line ({@code application/x-ndjson}). */
    public <T> Operation<B, T> returnsJsonLines(Class<T> type) {
        return answering(200, new Payload.JsonLines(type));
    }

    public Operation<B, String> returnsText() {
        return answering(200, Payload.TEXT);
    }

    private <T> Operation<B, T> answering(int answeredStatus, Payload payload) {
        return new Operation<>(method, path, summary, query, request, answeredStatus, payload);
    }

    /** The names of the path parameters, in order: {@code run_id}, {@code key}. */
    public List<String> pathParameters() {
        List<String> names = new ArrayList<>();
        for (String segment : path.split("/")) {
            if (isParameter(segment)) {
                names.add(segment.substring(1, segment.length() - 1));
            }
        }
        return names;
    }

    /** The path in OpenAPI's syntax, where every parameter is written {@code {name}}. */
    public String openApiPath() {
        return path.replace('<', '{').replace('>', '}');
    }

    /** The query parameter called {@code name}; an IllegalArgumentException when this operation documents none. */
    public QueryParameter queryParameter(String name) {
        for (QueryParameter parameter : query) {
            if (parameter.name().equals(name)) {
                return parameter;
            }
        }
        throw new IllegalArgumentException(method + " " + path + " documents no query parameter '" + name + "'");
    }

    /** The type a JSON answer is read as; null when the answer is not one JSON document. */
    public Type answerType() {
        return response instanceof Payload.Json json ? json.type() : response instanceof Payload.JsonLines lines
                ? lines.type() : null;
    }

    /**
     * This operation filled in: {@code values} are the path parameters' values, in their order.
     * A missing or blank value is a 400 naming its parameter.
     */
    public Call<B, R> at(Object... values) {
        return Call.of(this, values);
    }

    static boolean isParameter(String segment) {
        return (segment.startsWith("{") && segment.endsWith("}")) || (segment.startsWith("<") && segment.endsWith(">"));
    }
}
