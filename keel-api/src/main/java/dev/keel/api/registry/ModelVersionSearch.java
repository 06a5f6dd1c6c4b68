package dev.keel.api.registry;

import dev.keel.api.PageSize;
import dev.keel.core.Checks;

import java.util.List;

/**
 * A model version search: a filter on {@code name} (=, !=, LIKE, ILIKE), {@code version_number}
 * (comparisons), {@code run_id} (=, !=, IN), {@code source_path} (=, !=, LIKE, ILIKE) and
 * {@code tags.<key>}, joined by AND; order by {@code name}, {@code version_number},
 * {@code creation_timestamp} or {@code last_updated_timestamp}; paging as MLflow's
 * (10,000 per page by default).
 */
public record ModelVersionSearch(String filter, int maxResults, List<String> orderBy, String pageToken) {
    public ModelVersionSearch {
        Checks.requireMaxLength("filter", filter, RegistryLimits.FILTER_MAX_LENGTH);
        maxResults = PageSize.of(maxResults, RegistryLimits.VERSIONS_SEARCH_DEFAULT, RegistryLimits.VERSIONS_SEARCH_MAX);
        orderBy = orderBy == null ? List.of() : List.copyOf(orderBy);
    }

    public static ModelVersionSearch all() {
        return new ModelVersionSearch(null, 0, List.of(), null);
    }

    public static ModelVersionSearch filter(String filter) {
        return new ModelVersionSearch(filter, 0, List.of(), null);
    }

    public ModelVersionSearch orderedBy(List<String> clauses) {
        return new ModelVersionSearch(filter, maxResults, clauses, pageToken);
    }

    public ModelVersionSearch page(int max, String token) {
        return new ModelVersionSearch(filter, max, orderBy, token);
    }
}
