package dev.keel.api;

import dev.keel.core.KeelException;

/** How many rows a search answers per page: 0 asks for the default; anything outside 1 to the maximum is a 400 naming it. */
public final class PageSize {
    private PageSize() {
    }

    public static int of(int requested, int byDefault, int max) {
        if (requested == 0) {
            return byDefault;
        }
        if (requested < 0 || requested > max) {
            throw KeelException.invalid("'max_results' must be between 1 and " + max + " (got " + requested + ")");
        }
        return requested;
    }
}
