package dev.keel.core;

import java.util.List;

/**
 * One page of a listing. {@code nextPageToken} is opaque to callers and null on the last page.
 */
public record Page<T>(List<T> items, String nextPageToken) {
    public Page {
        items = List.copyOf(items);
    }

    public boolean hasNext() {
        return nextPageToken != null;
    }
}
