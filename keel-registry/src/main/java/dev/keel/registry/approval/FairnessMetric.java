package dev.keel.registry.approval;

import dev.keel.core.Checks;
import dev.keel.api.approval.EvaluationSet;
import dev.keel.core.KeelException;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The fairness metrics a policy can bound, by their policy names (Fairlearn's). */
public enum FairnessMetric {
    DEMOGRAPHIC_PARITY_DIFFERENCE,
    DISPARATE_IMPACT_RATIO,
    EQUALIZED_ODDS_DIFFERENCE,
    EQUAL_OPPORTUNITY_DIFFERENCE;

    /** The policy name: the constant in lower case. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** For messages: "demographic parity difference". */
    public String label() {
        return wireName().replace('_', ' ');
    }

    /** By policy name, case-insensitively; an unknown name is a 400 listing the known ones. */
    public static FairnessMetric parse(String name) {
        return Checks.named(values(), FairnessMetric::wireName, name).orElseThrow(() -> KeelException.invalid(
                "unknown fairness metric '" + name + "'; expected one of " + Checks.listed(values(), FairnessMetric::wireName)));
    }

    /** This metric over {@code attribute}'s groups; throws a 400 when the set cannot define it. */
    public double compute(EvaluationSet set, String attribute, String privilegedGroup) {
        List<String> groups = set.groups(attribute);
        return switch (this) {
            case DEMOGRAPHIC_PARITY_DIFFERENCE -> FairnessMetrics.demographicParityDifference(set.predicted(), groups);
            case DISPARATE_IMPACT_RATIO -> FairnessMetrics.disparateImpactRatio(set.predicted(), groups, privilegedGroup);
            case EQUALIZED_ODDS_DIFFERENCE -> FairnessMetrics.equalizedOddsDifference(set.predicted(), set.actual(), groups);
            case EQUAL_OPPORTUNITY_DIFFERENCE -> FairnessMetrics.equalOpportunityDifference(set.predicted(), set.actual(), groups);
        };
    }

    /** The per-group rates the metric is made of, so a reviewer sees which group drives it. */
    public String breakdown(EvaluationSet set, String attribute) {
        List<String> groups = set.groups(attribute);
        return switch (this) {
            case DEMOGRAPHIC_PARITY_DIFFERENCE, DISPARATE_IMPACT_RATIO ->
                    "selection rate " + rates(FairnessMetrics.selectionRates(set.predicted(), groups));
            case EQUALIZED_ODDS_DIFFERENCE ->
                    "true positive rate " + rates(FairnessMetrics.truePositiveRates(set.predicted(), set.actual(), groups))
                            + "; false positive rate "
                            + rates(FairnessMetrics.falsePositiveRates(set.predicted(), set.actual(), groups));
            case EQUAL_OPPORTUNITY_DIFFERENCE ->
                    "true positive rate " + rates(FairnessMetrics.truePositiveRates(set.predicted(), set.actual(), groups));
        };
    }

    private static String rates(Map<String, Double> rates) {
        return rates.entrySet().stream().map(e -> e.getKey() + " " + Figures.of(e.getValue()))
                .collect(Collectors.joining(", "));
    }
}
