package dev.keel.api.registry.card;

/**
 * One measured performance figure: a metric on a slice of the evaluation data ({@code slice}
 * null for all of it, or a factor's value such as {@code home_owner=yes}), with the threshold it
 * was held to, if one was declared.
 */
public record MetricResult(String metric, String slice, double value, Threshold threshold) {

    public static MetricResult overall(String metric, double value) {
        return new MetricResult(metric, null, value, null);
    }

    /** Whether this result is for a slice rather than the whole evaluation set. */
    public boolean sliced() {
        return slice != null && !slice.isBlank();
    }

    /** True or false against the threshold; null when none was declared. */
    public Boolean meetsThreshold() {
        return threshold == null ? null : threshold.holdsFor(value);
    }
}
