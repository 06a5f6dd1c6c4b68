package dev.keel.api.http;

/** A query parameter an operation reads; {@code repeated} ones may appear several times. */
public record QueryParameter(String name, Class<?> type, boolean repeated, String description) {
    public static QueryParameter of(String name, Class<?> type, String description) {
        return new QueryParameter(name, type, false, description);
    }

    public static QueryParameter repeated(String name, Class<?> type, String description) {
        return new QueryParameter(name, type, true, description);
    }
}
