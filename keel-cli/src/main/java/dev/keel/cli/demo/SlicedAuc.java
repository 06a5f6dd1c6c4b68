package dev.keel.cli.demo;

import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.impl.ArrayExample;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * The area under the ROC curve of a model's default scores on a slice of applicants, for the
 * model card's per-factor results. Computed as the Mann-Whitney statistic (ties count half),
 * which is what the ROC area is; a slice without both outcomes has no AUC.
 */
final class SlicedAuc {
    private static final String[] FEATURES = Applicant.FEATURE_NAMES.toArray(String[]::new);

    private final Model<Label> model;

    SlicedAuc(Model<Label> model) {
        this.model = model;
    }

    /** One slice's AUC and size; {@code auc} is NaN when the slice lacks defaults or repayments. */
    record Result(double auc, int applicants) {
    }

    Result on(List<Applicant> applicants, Predicate<Applicant> slice) {
        List<double[]> scored = new ArrayList<>();
        for (Applicant applicant : applicants) {
            if (slice.test(applicant)) {
                Label prediction = model.predict(new ArrayExample<>(LogisticRegressionTraining.DEFAULT, FEATURES,
                        applicant.features())).getOutputScores().get(LogisticRegressionTraining.DEFAULT.getLabel());
                scored.add(new double[] {prediction == null ? 0 : prediction.getScore(), applicant.defaulted() ? 1 : 0});
            }
        }
        return new Result(auc(scored), scored.size());
    }

    private static double auc(List<double[]> scored) {
        double[][] sorted = scored.toArray(double[][]::new);
        Arrays.sort(sorted, (a, b) -> Double.compare(a[0], b[0]));
        long positives = scored.stream().filter(s -> s[1] == 1).count();
        long negatives = scored.size() - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        // sum of the positives' ranks, tied scores sharing their mean rank
        double rankSum = 0;
        for (int i = 0; i < sorted.length; ) {
            int j = i;
            while (j < sorted.length && sorted[j][0] == sorted[i][0]) {
                j++;
            }
            double meanRank = (i + 1 + j) / 2.0;
            for (int k = i; k < j; k++) {
                if (sorted[k][1] == 1) {
                    rankSum += meanRank;
                }
            }
            i = j;
        }
        return (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }
}
