package dev.keel.api.http;

import java.nio.charset.StandardCharsets;

/** Percent-encoding of path segments and query values, byte by byte (RFC 3986's unreserved characters kept). */
final class UriEncoding {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private UriEncoding() {
    }

    /** One path segment; a value made only of dots is encoded too, so that no one resolves it as "." or "..". */
    static String segment(String value) {
        return encode(value, value.chars().allMatch(c -> c == '.'));
    }

    /** A value that may contain '/', such as a tag key or an artifact path: each segment encoded, '/' kept. */
    static String segments(String value) {
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

    /** A query parameter's name or value. */
    static String component(String value) {
        return encode(value, false);
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
