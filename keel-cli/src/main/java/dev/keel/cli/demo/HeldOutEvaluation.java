package dev.keel.cli.demo;

import dev.keel.api.approval.EvaluationSet;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.impl.ArrayExample;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The evaluation set the demo records for the version it registers: the model's decision on
 * each held-out applicant (positive: predicted to default), whether they defaulted, and their
 * home-ownership group and age band, the two factors its model card names. The approval
 * policy's fairness bound is computed on it.
 */
final class HeldOutEvaluation {
    static final String HOME_OWNERSHIP = "home_ownership";
    static final String AGE_BAND = "age_band";
    private static final String[] FEATURES = Applicant.FEATURE_NAMES.toArray(String[]::new);

    private HeldOutEvaluation() {
    }

    static EvaluationSet of(Model<Label> model, List<Applicant> heldOut) {
        List<Boolean> predicted = new ArrayList<>(heldOut.size());
        List<Boolean> actual = new ArrayList<>(heldOut.size());
        List<String> homeOwnership = new ArrayList<>(heldOut.size());
        List<String> ageBands = new ArrayList<>(heldOut.size());
        for (Applicant applicant : heldOut) {
            Label decision = model.predict(new ArrayExample<>(LogisticRegressionTraining.DEFAULT, FEATURES,
                    applicant.features())).getOutput();
            predicted.add(decision.getLabel().equals(LogisticRegressionTraining.DEFAULT.getLabel()));
            actual.add(applicant.defaulted());
            homeOwnership.add(applicant.homeOwnership());
            ageBands.add(applicant.ageBand());
        }
        return new EvaluationSet(predicted, actual, Map.of(HOME_OWNERSHIP, homeOwnership, AGE_BAND, ageBands));
    }
}
