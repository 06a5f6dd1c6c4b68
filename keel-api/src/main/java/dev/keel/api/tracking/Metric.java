package dev.keel.api.tracking;

import dev.keel.core.Checks;

/** One point of a metric's history. NaN and ±Infinity are values like any other and are kept. */
public record Metric(String key, double value, long timestamp, long step) {
    public Metric {
        Checks.requireValidKey("metric key", key);
    }
}
