package dev.keel.api.tracking;

import dev.keel.api.Tag;
import java.util.List;

/** What a run recorded: the latest value of each metric, its params and its tags. */
public record RunData(List<Metric> metrics, List<Param> params, List<Tag> tags) {
    public RunData {
        metrics = metrics == null ? List.of() : List.copyOf(metrics);
        params = params == null ? List.of() : List.copyOf(params);
        tags = tags == null ? List.of() : List.copyOf(tags);
    }
}
