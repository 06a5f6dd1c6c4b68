package dev.keel.api.approval;

import java.util.List;

/**
 * One group of an evaluation set: how many rows it has, the share the model predicted positive
 * (its selection rate) and the share that actually was positive (its base rate). Side by side
 * they show whether a gap in decisions follows a gap in outcomes.
 */
public record GroupRates(String group, int rows, double predictedPositiveRate, double actualPositiveRate) {

    static GroupRates of(String group, List<Boolean> predicted, List<Boolean> actual) {
        long predictedPositive = predicted.stream().filter(Boolean::booleanValue).count();
        long actualPositive = actual.stream().filter(Boolean::booleanValue).count();
        return new GroupRates(group, predicted.size(), (double) predictedPositive / predicted.size(),
                (double) actualPositive / actual.size());
    }
}
