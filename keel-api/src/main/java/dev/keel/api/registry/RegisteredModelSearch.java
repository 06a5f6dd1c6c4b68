package dev.keel.api.registry;

import dev.keel.api.PageSize;
import dev.keel.core.Checks;

import java.util.List;

/**
 * A registered model search: a filter on {@code name} ({@code =}, {@code !=}, {@code LIKE},
 * {@code ILIKE}) and {@code tags.<key>} joined by AND; order by {@code name} or
 * {@code last_updated_timestamp} (ASC/DESC); at most 1000 per page, 100 by default.
 */
public record RegisteredModelSearch(String filter, int maxResults, List<String> orderBy, String pageToken) {
    public RegisteredModelSearch {
        Checks.requireMaxLength("filter", filter, RegistryLimits.FILTER_MAX_LENGTH);
        maxResults = PageSize.of(maxResults, RegistryLimits.MODELS_SEARCH_DEFAULT, RegistryLimits.MODELS_SEARCH_MAX);
        orderBy = orderBy == null ? List.of() : List.copyOf(orderBy);
    }

    public static RegisteredModelSearch all() {
        return new RegisteredModelSearch(null, 0, List.of(), null);
    }

    public static RegisteredModelSearch filter(String filter) {
        return new RegisteredModelSearch(filter, 0, List.of(), null);
    }

    public RegisteredModelSearch orderedBy(List<String> clauses) {
        return new RegisteredModelSearch(filter, maxResults, clauses, pageToken);
    }

    public RegisteredModelSearch page(int max, String token) {
        return new RegisteredModelSearch(filter, max, orderBy, token);
    }
}
