package dev.keel.api.tracking;

import dev.keel.api.Tag;
import dev.keel.core.Checks;
import dev.keel.core.KeelException;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Metrics, params and tags logged together: all of them are stored, or none. */
public record LogBatch(List<Metric> metrics, List<Param> params, List<Tag> tags) {
    public LogBatch {
        metrics = metrics == null ? List.of() : List.copyOf(metrics);
        params = params == null ? List.of() : List.copyOf(params);
        tags = tags == null ? List.of() : List.copyOf(tags);
        Checks.requireMaxSize("metrics", metrics, Limits.BATCH_MAX_METRICS);
        Checks.requireMaxSize("params", params, Limits.BATCH_MAX_PARAMS);
        Checks.requireMaxSize("tags", tags, Limits.BATCH_MAX_TAGS);
        int total = metrics.size() + params.size() + tags.size();
        if (total > Limits.BATCH_MAX_ITEMS) {
            throw KeelException.invalid("a batch holds " + total + " metrics, params and tags; at most "
                    + Limits.BATCH_MAX_ITEMS + " are allowed in total");
        }
        Map<String, String> seen = new HashMap<>();
        for (Param param : params) {
            String previous = seen.putIfAbsent(param.key(), param.value());
            if (previous != null && !previous.equals(param.value())) {
                throw KeelException.invalid("param '" + param.key() + "' appears twice in the batch with different values ('"
                        + previous + "' and '" + param.value() + "')");
            }
        }
    }

    public static LogBatch ofMetrics(List<Metric> metrics) {
        return new LogBatch(metrics, List.of(), List.of());
    }
}
