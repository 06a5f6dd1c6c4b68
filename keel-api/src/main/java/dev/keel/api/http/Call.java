package dev.keel.api.http;

import dev.keel.core.Checks;

import java.util.ArrayList;
import java.util.List;

/**
 * An {@link Operation} filled in, ready to send: the path with its parameters' values, the
 * query, the body. Path values are percent-encoded, a missing or blank one is a 400 naming its
 * parameter, and a query parameter the operation does not document cannot be added at all.
 *
 * @param path  the path, its parameters filled in and encoded
 * @param query name/value pairs in the order added, not yet encoded
 */
public record Call<B, R>(Operation<B, R> operation, String path, List<String[]> query, B body) {
    public Call {
        query = List.copyOf(query);
    }

    static <B, R> Call<B, R> of(Operation<B, R> operation, Object... values) {
        List<String> names = operation.pathParameters();
        if (values.length != names.size()) {
            throw new IllegalArgumentException(operation.method() + " " + operation.path() + " takes " + names.size()
                    + " path values, not " + values.length);
        }
        StringBuilder path = new StringBuilder();
        int next = 0;
        for (String segment : operation.path().split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            path.append('/');
            if (!Operation.isParameter(segment)) {
                path.append(segment);
                continue;
            }
            String name = names.get(next);
            Object value = values[next++];
            String text = Checks.requireNonBlank(name, value == null ? null : value.toString());
            path.append(segment.startsWith("<") ? UriEncoding.segments(text) : UriEncoding.segment(text));
        }
        return new Call<>(operation, path.toString(), List.of(), null);
    }

    /** Adds {@code name=value}; a null value is left out. Repeated parameters may be added again. */
    public Call<B, R> query(String name, Object value) {
        QueryParameter parameter = operation.queryParameter(name);
        if (value == null) {
            return this;
        }
        if (!parameter.repeated() && query.stream().anyMatch(pair -> pair[0].equals(name))) {
            throw new IllegalArgumentException("query parameter '" + name + "' of " + operation.path() + " is not repeated");
        }
        List<String[]> more = new ArrayList<>(query);
        more.add(new String[]{name, value.toString()});
        return new Call<>(operation, path, more, body);
    }

    /** Adds {@code name=value} once for each of {@code values}. */
    public Call<B, R> query(String name, List<?> values) {
        Call<B, R> call = this;
        for (Object value : values) {
            call = call.query(name, value);
        }
        return call;
    }

    public Call<B, R> with(B newBody) {
        return new Call<>(operation, path, query, newBody);
    }

    /** The path and the encoded query, as the request line carries them. */
    public String target() {
        StringBuilder out = new StringBuilder(path);
        for (String[] pair : query) {
            out.append(out.length() == path.length() ? '?' : '&')
                    .append(UriEncoding.component(pair[0])).append('=').append(UriEncoding.component(pair[1]));
        }
        return out.toString();
    }
}
