package dev.keel.registry.approval;

import dev.keel.core.KeelException;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Group fairness metrics of binary decisions, as Fairlearn defines them (between groups):
 * pure functions of the predictions, the true outcomes and each row's group.
 *
 * <p>Rates of finite sets are fractions, and their differences carry floating-point noise
 * (0.4 − 0.3 = 0.10000000000000003) that would fail a bound of exactly 0.1. Results are
 * therefore rounded to 12 decimals, far below any meaningful difference between two groups.
 *
 * <p>A rate a group does not define (a true-positive rate for a group without actual
 * positives) is refused rather than skipped: a gate must not pass because a group was absent.
 */
public final class FairnessMetrics {
    private FairnessMetrics() {
    }

    /** Max − min over groups of the selection rate P(ŷ = 1 | group); 0 is parity. */
    public static double demographicParityDifference(List<Boolean> predictions, List<String> groups) {
        return clean(spread(selectionRates(predictions, groups)));
    }

    /** {@link #disparateImpactRatio(List, List, String)} with the highest-selected group as the privileged one. */
    public static double disparateImpactRatio(List<Boolean> predictions, List<String> groups) {
        return disparateImpactRatio(predictions, groups, null);
    }

    /**
     * Unprivileged selection rate / privileged selection rate; 1 is parity, below 0.8 is the
     * four-fifths rule's signal of adverse impact.
     *
     * <p>When {@code privilegedGroup} is null, the privileged group is the one with the highest
     * selection rate, so the result is min rate / max rate (Fairlearn's demographic parity
     * ratio) and never above 1. When it is named, each other group's ratio to it is computed
     * and the one farthest from parity (by |log ratio|, so 0.8 and 1.25 are equally far) is
     * returned: it may exceed 1 when an unprivileged group is selected more often.
     *
     * <p>No group selected at all is parity (1); a privileged rate of 0 against a positive rate is +∞.
     */
    public static double disparateImpactRatio(List<Boolean> predictions, List<String> groups, String privilegedGroup) {
        Map<String, Double> rates = selectionRates(predictions, groups);
        if (privilegedGroup == null) {
            double max = rates.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            double min = rates.values().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            return clean(ratio(min, max));
        }
        Double privileged = rates.get(privilegedGroup);
        if (privileged == null) {
            throw KeelException.invalid("privileged group '" + privilegedGroup + "' does not occur in the evaluation set; its groups are "
                    + String.join(", ", rates.keySet()));
        }
        double farthest = 1.0;
        for (Map.Entry<String, Double> rate : rates.entrySet()) {
            if (!rate.getKey().equals(privilegedGroup)) {
                double r = ratio(rate.getValue(), privileged);
                if (Math.abs(Math.log(r)) > Math.abs(Math.log(farthest))) {
                    farthest = r;
                }
            }
        }
        return clean(farthest);
    }

    /** The larger of the gap in true-positive rate and the gap in false-positive rate between groups. */
    public static double equalizedOddsDifference(List<Boolean> predictions, List<Boolean> labels, List<String> groups) {
        return clean(Math.max(spread(truePositiveRates(predictions, labels, groups)),
                spread(falsePositiveRates(predictions, labels, groups))));
    }

    /** The gap in true-positive rate P(ŷ = 1 | y = 1, group) between groups. */
    public static double equalOpportunityDifference(List<Boolean> predictions, List<Boolean> labels, List<String> groups) {
        return clean(spread(truePositiveRates(predictions, labels, groups)));
    }

    /** P(ŷ = 1 | group), by group name in order. */
    public static Map<String, Double> selectionRates(List<Boolean> predictions, List<String> groups) {
        sameLength(predictions, groups, "predictions");
        return rates(predictions, predictions, groups, null, "rows");
    }

    /** P(ŷ = 1 | y = 1, group); refused when a group has no actual positives. */
    public static Map<String, Double> truePositiveRates(List<Boolean> predictions, List<Boolean> labels, List<String> groups) {
        sameLength(predictions, groups, "predictions");
        sameLength(labels, groups, "labels");
        return rates(predictions, labels, groups, Boolean.TRUE, "actual positives");
    }

    /** P(ŷ = 1 | y = 0, group); refused when a group has no actual negatives. */
    public static Map<String, Double> falsePositiveRates(List<Boolean> predictions, List<Boolean> labels, List<String> groups) {
        sameLength(predictions, groups, "predictions");
        sameLength(labels, groups, "labels");
        return rates(predictions, labels, groups, Boolean.FALSE, "actual negatives");
    }

    /** The share of predicted positives per group among the rows whose label is {@code condition} (all rows when null). */
    private static Map<String, Double> rates(List<Boolean> predictions, List<Boolean> labels, List<String> groups,
                                             Boolean condition, String what) {
        Map<String, long[]> counts = new TreeMap<>();
        for (int i = 0; i < groups.size(); i++) {
            long[] count = counts.computeIfAbsent(group(groups, i), g -> new long[2]);
            if (condition == null || label(labels, i) == condition) {
                count[1]++;
                if (label(predictions, i)) {
                    count[0]++;
                }
            }
        }
        Map<String, Double> rates = new TreeMap<>();
        for (Map.Entry<String, long[]> count : counts.entrySet()) {
            if (count.getValue()[1] == 0) {
                throw KeelException.invalid("group '" + count.getKey() + "' has no " + what
                        + ", so its rate is undefined; the evaluation set needs " + what + " in every group");
            }
            rates.put(count.getKey(), (double) count.getValue()[0] / count.getValue()[1]);
        }
        return rates;
    }

    private static void sameLength(List<?> values, List<String> groups, String name) {
        if (values == null || groups == null) {
            throw KeelException.invalid("missing value for '" + (values == null ? name : "groups") + "'");
        }
        if (groups.isEmpty()) {
            throw KeelException.invalid("fairness metrics need at least one row");
        }
        if (values.size() != groups.size()) {
            throw KeelException.invalid("there are " + values.size() + " " + name + " but " + groups.size()
                    + " groups; every row needs both");
        }
    }

    private static boolean label(List<Boolean> values, int i) {
        Boolean value = values.get(i);
        if (value == null) {
            throw KeelException.invalid("row " + i + " has no predicted or actual value");
        }
        return value;
    }

    private static String group(List<String> groups, int i) {
        String group = groups.get(i);
        if (group == null) {
            throw KeelException.invalid("row " + i + " has no group");
        }
        return group;
    }

    private static double spread(Map<String, Double> rates) {
        double max = rates.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        double min = rates.values().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        return max - min;
    }

    private static double ratio(double unprivileged, double privileged) {
        if (privileged == 0) {
            return unprivileged == 0 ? 1.0 : Double.POSITIVE_INFINITY;
        }
        return unprivileged / privileged;
    }

    private static double clean(double value) {
        return Double.isFinite(value) ? Math.round(value * 1e12) / 1e12 : value;
    }
}
