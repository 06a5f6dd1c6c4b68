package dev.keel.store;

import dev.keel.core.KeelException;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Turns the store URL a user types ({@code postgresql://user@host:5432/keel},
 * {@code postgres://…}, or a plain {@code jdbc:postgresql:…} / {@code jdbc:sqlite:…} URL) into a
 * JDBC URL and its dialect.
 */
public record StoreUrl(Dialect dialect, String jdbcUrl) {

    public static StoreUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw KeelException.invalid("'store' must be a database URL such as postgresql://user@host:5432/keel");
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return new StoreUrl(Dialect.POSTGRESQL, url);
        }
        if (url.startsWith("jdbc:sqlite:")) {
            return new StoreUrl(Dialect.SQLITE, url);
        }
        if (url.startsWith("sqlite:")) {
            return new StoreUrl(Dialect.SQLITE, "jdbc:" + url.replaceFirst("^sqlite:(//)?", "sqlite:"));
        }
        if (url.startsWith("postgresql://") || url.startsWith("postgres://")) {
            try {
                URI uri = new URI(url);
                StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(uri.getHost());
                if (uri.getPort() > 0) {
                    jdbc.append(':').append(uri.getPort());
                }
                jdbc.append(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/postgres" : uri.getRawPath());
                StringBuilder query = new StringBuilder(uri.getRawQuery() == null ? "" : uri.getRawQuery());
                if (uri.getRawUserInfo() != null) {
                    String[] userInfo = uri.getRawUserInfo().split(":", 2);
                    append(query, "user=" + userInfo[0]);
                    if (userInfo.length > 1) {
                        append(query, "password=" + userInfo[1]);
                    }
                }
                if (!query.isEmpty()) {
                    jdbc.append('?').append(query);
                }
                return new StoreUrl(Dialect.POSTGRESQL, jdbc.toString());
            } catch (URISyntaxException | NullPointerException e) {
                throw KeelException.invalid("'store' is not a valid URL: " + url);
            }
        }
        throw KeelException.invalid("'store' must start with postgresql:// or jdbc:postgresql: or jdbc:sqlite: (got '"
                + url + "')");
    }

    /** The same PostgreSQL server and options, another database on it. */
    public StoreUrl withDatabase(String database) {
        if (dialect != Dialect.POSTGRESQL) {
            throw KeelException.invalid("only a PostgreSQL store URL names a database on a server");
        }
        int slash = jdbcUrl.indexOf('/', "jdbc:postgresql://".length());
        int query = jdbcUrl.indexOf('?');
        String server = slash >= 0 ? jdbcUrl.substring(0, slash) : query >= 0 ? jdbcUrl.substring(0, query) : jdbcUrl;
        return new StoreUrl(dialect, server + "/" + database + (query < 0 ? "" : jdbcUrl.substring(query)));
    }

    private static void append(StringBuilder query, String pair) {
        if (!query.isEmpty()) {
            query.append('&');
        }
        query.append(pair);
    }
}
