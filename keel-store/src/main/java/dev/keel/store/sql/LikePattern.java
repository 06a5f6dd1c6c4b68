package dev.keel.store.sql;

/**
 * A LIKE pattern ({@code %} any run, {@code _} one character, {@code \} escapes the next) as a
 * SQLite GLOB pattern. SQLite's LIKE ignores ASCII case, GLOB does not, so a case-sensitive
 * LIKE on SQLite is answered with GLOB; PostgreSQL's LIKE is case-sensitive already.
 */
public final class LikePattern {
    private LikePattern() {
    }

    public static String toGlob(String like) {
        StringBuilder glob = new StringBuilder(like.length() + 8);
        for (int i = 0; i < like.length(); i++) {
            char c = like.charAt(i);
            if (c == '\\' && i + 1 < like.length()) {
                literal(glob, like.charAt(++i));
            } else if (c == '%') {
                glob.append('*');
            } else if (c == '_') {
                glob.append('?');
            } else {
                literal(glob, c);
            }
        }
        return glob.toString();
    }

    private static void literal(StringBuilder glob, char c) {
        if (c == '*' || c == '?' || c == '[') {
            glob.append('[').append(c).append(']');
        } else {
            glob.append(c);
        }
    }
}
