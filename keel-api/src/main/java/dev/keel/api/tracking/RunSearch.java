package dev.keel.api.tracking;

import dev.keel.api.PageSize;
import dev.keel.core.Checks;
import dev.keel.core.Ids;

import java.util.List;

/**
 * A run search: experiments to look in, a filter in MLflow's grammar
 * ({@code metrics.auc > 0.8 AND params.lr = '0.01'}), order-by clauses, paging.
 */
public record RunSearch(List<String> experimentIds, String filter, ViewType viewType, int maxResults,
                        List<String> orderBy, String pageToken) {
    public RunSearch {
        experimentIds = experimentIds == null ? List.of() : List.copyOf(experimentIds);
        for (String id : experimentIds) {
            Ids.requireExperimentId("experiment_ids", id);
        }
        Checks.requireMaxLength("filter", filter, Limits.FILTER_MAX_LENGTH);
        viewType = viewType == null ? ViewType.ACTIVE_ONLY : viewType;
        maxResults = PageSize.of(maxResults, Limits.RUNS_SEARCH_DEFAULT, Limits.RUNS_SEARCH_MAX);
        orderBy = orderBy == null ? List.of() : List.copyOf(orderBy);
    }

    public static RunSearch in(List<String> experimentIds, String filter) {
        return new RunSearch(experimentIds, filter, ViewType.ACTIVE_ONLY, 0, List.of(), null);
    }

    public RunSearch orderedBy(List<String> clauses) {
        return new RunSearch(experimentIds, filter, viewType, maxResults, clauses, pageToken);
    }

    public RunSearch page(int max, String token) {
        return new RunSearch(experimentIds, filter, viewType, max, orderBy, token);
    }
}
