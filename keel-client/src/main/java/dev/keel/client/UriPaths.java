package dev.keel.client;

import dev.keel.core.Checks;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Percent-encoding of path segments and query values, byte by byte (RFC 3986 unreserved kept). */
final class UriPaths {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private UriPaths() {
    }

    /** One path segment; a value made only of dots is encoded too, so that no one resolves it as "." or "..". */
    static String segment(String field, String value) {
        Checks.requireNonBlank(field, value);
        return encode(value, value.chars().allMatch(c -> c == '.'));
    }

    /** A value that may contain '/', such as a tag key or an artifact path: each segment encoded, '/' kept. */
    static String segments(String field, String value) {
        Checks.requireNonBlank(field, value);
        StringBuilder out = new StringBuilder();
        String[] parts = value.split("/", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                out.append('/');
            }
            out.append(encode(parts[i], !parts[i].isEmpty() && parts[i].chars().allMatch(c -> c == '.')));
        }
        return out.toString();
    }

    /** {@code ?a=1&b=x&b=y}, leaving out absent values; empty when nothing is left. */
    static String query(List<String[]> pairs) {
        StringBuilder out = new StringBuilder();
        for (String[] pair : pairs) {
            if (pair[1] == null) {
                continue;
            }
            out.append(out.isEmpty() ? '?' : '&').append(encode(pair[0], false)).append('=').append(encode(pair[1], false));
        }
        return out.toString();
    }

    static String[] pair(String name, Object value) {
        return new String[]{name, value == null ? null : value.toString()};
    }

    private static String encode(String value, boolean encodeDots) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            boolean unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '~' || (c == '.' && !encodeDots);
            if (unreserved) {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return out.toString();
    }
}
