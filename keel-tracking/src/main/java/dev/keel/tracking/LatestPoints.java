package dev.keel.tracking;

import dev.keel.api.tracking.Metric;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The latest point of each key in a batch — highest step, then timestamp, then value, a later
 * point winning a full tie — so the database upserts each key once per batch. Values compare
 * as stored: a NaN is stored as 0 beside its flag.
 */
final class LatestPoints {
    private LatestPoints() {
    }

    static List<Metric> of(List<Metric> metrics) {
        Map<String, Metric> latest = new LinkedHashMap<>();
        for (Metric metric : metrics) {
            latest.merge(metric.key(), metric, (held, next) -> atLeast(next, held) ? next : held);
        }
        return new ArrayList<>(latest.values());
    }

    private static boolean atLeast(Metric a, Metric b) {
        if (a.step() != b.step()) {
            return a.step() > b.step();
        }
        if (a.timestamp() != b.timestamp()) {
            return a.timestamp() > b.timestamp();
        }
        return stored(a.value()) >= stored(b.value());
    }

    private static double stored(double value) {
        return Double.isNaN(value) ? 0.0 : value;
    }
}
