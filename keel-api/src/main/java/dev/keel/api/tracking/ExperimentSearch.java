package dev.keel.api.tracking;

import dev.keel.api.PageSize;
import dev.keel.core.Checks;

import java.util.List;

/** An experiment search: filter on name, times and tags; order by name, id or times; paging. */
public record ExperimentSearch(String filter, ViewType viewType, int maxResults, List<String> orderBy, String pageToken) {
    public ExperimentSearch {
        Checks.requireMaxLength("filter", filter, Limits.FILTER_MAX_LENGTH);
        viewType = viewType == null ? ViewType.ACTIVE_ONLY : viewType;
        maxResults = PageSize.of(maxResults, Limits.EXPERIMENTS_SEARCH_DEFAULT, Limits.EXPERIMENTS_SEARCH_MAX);
        orderBy = orderBy == null ? List.of() : List.copyOf(orderBy);
    }

    public static ExperimentSearch all() {
        return new ExperimentSearch(null, ViewType.ACTIVE_ONLY, 0, List.of(), null);
    }
}
