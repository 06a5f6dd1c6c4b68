package dev.keel.registry.approval;

import dev.keel.api.approval.EvaluationSet;
import dev.keel.core.KeelException;

import java.util.Objects;

/**
 * Bounds on one fairness metric over the groups of one sensitive attribute of the evaluation
 * set, such as {@code demographic_parity_difference} of {@code home_ownership} at most 0.1.
 * {@code min} or {@code max} may be null (unbounded), not both. {@code privilegedGroup} applies
 * to the disparate impact ratio only; null means the group selected most often.
 */
public record FairnessBound(FairnessMetric metric, String attribute, Double min, Double max, String privilegedGroup)
        implements Check {
    public FairnessBound {
        Objects.requireNonNull(metric, "metric");
        if (attribute == null || attribute.isBlank()) {
            throw KeelException.invalid("a fairness bound needs the sensitive 'attribute' it compares groups of");
        }
        if (min == null && max == null) {
            throw KeelException.invalid("a fairness bound needs 'min', 'max' or both");
        }
        if ((min != null && !Double.isFinite(min)) || (max != null && !Double.isFinite(max))) {
            throw KeelException.invalid("fairness bounds must be finite numbers");
        }
        if (min != null && max != null && min > max) {
            throw KeelException.invalid("fairness bound 'min' " + Figures.of(min) + " is above 'max' " + Figures.of(max));
        }
        if (privilegedGroup != null && metric != FairnessMetric.DISPARATE_IMPACT_RATIO) {
            throw KeelException.invalid("'privileged_group' applies to disparate_impact_ratio only, not " + metric.wireName());
        }
    }

    @Override
    public String describe() {
        return "fairness: " + metric.wireName() + " of " + attribute
                + (privilegedGroup == null ? "" : " (privileged group " + privilegedGroup + ")")
                + (min == null ? "" : ", min " + Figures.of(min))
                + (max == null ? "" : ", max " + Figures.of(max));
    }

    @Override
    public CheckResult evaluate(CheckContext context) {
        String subject = metric.label() + " for " + attribute;
        if (context.evaluation().isEmpty()) {
            return CheckResult.failed(this, subject + " cannot be computed: no evaluation set recorded for version "
                    + context.version().version() + " of '" + context.version().name() + "'");
        }
        EvaluationSet set = context.evaluation().get();
        double value;
        String breakdown;
        try {
            value = metric.compute(set, attribute, privilegedGroup);
            breakdown = metric.breakdown(set, attribute);
        } catch (KeelException e) {
            return CheckResult.failed(this, subject + " cannot be computed: " + e.getMessage());
        }
        String why;
        boolean passed;
        if (min != null && !(value >= min)) {
            why = subject + " = " + Figures.against(value, min) + " < " + Figures.of(min);
            passed = false;
        } else if (max != null && !(value <= max)) {
            why = subject + " = " + Figures.against(value, max) + " > " + Figures.of(max);
            passed = false;
        } else if (min != null && max != null) {
            why = subject + " = " + Figures.of(value) + " within [" + Figures.of(min) + ", " + Figures.of(max) + "]";
            passed = true;
        } else if (max != null) {
            why = subject + " = " + Figures.against(value, max) + " ≤ " + Figures.of(max);
            passed = true;
        } else {
            why = subject + " = " + Figures.against(value, min) + " ≥ " + Figures.of(min);
            passed = true;
        }
        why += " (" + breakdown + ")";
        return passed ? CheckResult.passed(this, why) : CheckResult.failed(this, why);
    }
}
