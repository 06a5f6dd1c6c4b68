package dev.keel.store.sql;

import java.util.Objects;

/**
 * Which page of a search a caller asks for: the token of the previous page (null: the first),
 * how many rows, and the fingerprint of the search itself (its filter, order and scope), so a
 * token handed to another search is refused instead of silently skipping rows.
 */
public record PageRequest(String token, int fingerprint, int maxResults) {

    /** The page after {@code token} of the search described by {@code search} (its parts, hashed). */
    public static PageRequest of(String token, int maxResults, Object... search) {
        return new PageRequest(token, Objects.hash(search), maxResults);
    }

    /** Where the page starts; a token of another search is a 400. */
    PageToken after() {
        return PageToken.decode(token, fingerprint);
    }

    /** The token of the page after the one ending with the row whose sort keys are {@code lastKey}. */
    String next(java.util.List<Object> lastKey) {
        return new PageToken(fingerprint, lastKey).encode();
    }
}
