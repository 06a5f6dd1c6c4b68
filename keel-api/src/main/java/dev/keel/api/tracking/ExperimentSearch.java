package dev.keel.api.tracking;

import dev.keel.core.Checks;
import dev.keel.core.KeelException;

import java.util.List;

/** An experiment search: filter on name, times and tags; order by name, id or times; paging. */
public record ExperimentSearch(String filter, ViewType viewType, int maxResults, List<String> orderBy, String pageToken) {
    public ExperimentSearch {
        Checks.requireMaxLength("filter", filter, Limits.FILTER_MAX_LENGTH);
        viewType = viewType == null ? ViewType.ACTIVE_ONLY : viewType;
        if (maxResults == 0) {
            maxResults = Limits.EXPERIMENTS_SEARCH_DEFAULT;
        }
        if (maxResults < 0 || maxResults > Limits.EXPERIMENTS_SEARCH_MAX) {
            throw KeelException.invalid("'max_results' must be between 1 and " + Limits.EXPERIMENTS_SEARCH_MAX + " (got " + maxResults + ")");
        }
        orderBy = orderBy == null ? List.of() : List.copyOf(orderBy);
    }

    public static ExperimentSearch all() {
        return new ExperimentSearch(null, ViewType.ACTIVE_ONLY, 0, List.of(), null);
    }
}
