package dev.keel.server.http;

import dev.keel.core.KeelException;
import io.javalin.http.Context;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Query parameters read with a 400 naming the parameter when one is not what it should be. */
final class Queries {
    private Queries() {
    }

    static String text(Context ctx, String name) {
        return ctx.queryParam(name);
    }

    static List<String> texts(Context ctx, String name) {
        return ctx.queryParams(name);
    }

    static int integer(Context ctx, String name, int absent) {
        String value = ctx.queryParam(name);
        if (value == null || value.isEmpty()) {
            return absent;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw KeelException.invalid("'" + name + "' must be an integer (got '" + abbreviate(value) + "')");
        }
    }

    static <E extends Enum<E>> E enumeration(Context ctx, String name, Class<E> type) {
        String value = ctx.queryParam(name);
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw KeelException.invalid("'" + name + "' must be one of "
                    + Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "))
                    + " (got '" + abbreviate(value) + "')");
        }
    }

    private static String abbreviate(String value) {
        return value.length() <= 64 ? value : value.substring(0, 64) + "…";
    }
}
