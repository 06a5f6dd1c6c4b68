package dev.keel.cli.demo;

import dev.keel.api.registry.card.EthicalConsideration;
import dev.keel.api.registry.card.Factor;
import dev.keel.api.registry.card.IntendedUse;
import dev.keel.api.registry.card.MetricResult;
import dev.keel.api.registry.card.ModelCard;
import dev.keel.api.registry.card.ModelDetails;
import dev.keel.api.registry.card.ModelParameters;
import dev.keel.api.registry.card.Threshold;
import org.tribuo.Model;
import org.tribuo.classification.Label;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * The model card {@code keel demo} writes for the model it registers: the registry's prefilled
 * draft (manifest, run params and metrics, data lineage) completed with what only a person
 * knows — what the model is for and not for, the factors it may behave differently across,
 * AUC per slice of the held-out applicants, the ethical risks and the caveats.
 */
final class CreditRiskCard {
    /** The bound every AUC on the card is held to, declared before looking at the results. */
    static final Threshold MIN_AUC = new Threshold(">=", 0.70);

    private record Slice(String name, Predicate<Applicant> members) {
    }

    private static final List<Slice> SLICES = List.of(
            new Slice("home_owner=yes", applicant -> applicant.homeOwnership().equals("owner")),
            new Slice("home_owner=no", applicant -> applicant.homeOwnership().equals("non-owner")),
            new Slice("age_band=21-34", applicant -> applicant.ageBand().equals("21-34")),
            new Slice("age_band=35-49", applicant -> applicant.ageBand().equals("35-49")),
            new Slice("age_band=50-69", applicant -> applicant.ageBand().equals("50-69")));

    private CreditRiskCard() {
    }

    static ModelCard complete(ModelCard draft, Model<Label> model, CreditRiskData data) {
        ModelDetails prefilled = draft.modelDetails();
        List<String> references = new ArrayList<>(prefilled.references());
        references.add("Mitchell et al., Model Cards for Model Reporting (2019), arXiv:1810.03993");
        ModelDetails details = new ModelDetails(prefilled.name(), prefilled.version(),
                "Logistic regression estimating the probability that a loan applicant defaults, trained by 'keel demo' "
                        + "with Tribuo on " + data.train().size() + " synthetic applicants and evaluated on "
                        + data.test().size() + " held out.",
                prefilled.owners(), null, references, prefilled.riskTier(), prefilled.tags());
        ModelParameters parameters = new ModelParameters(
                "logistic regression (" + LogisticRegressionTraining.TRAINER + ") on " + Applicant.FEATURE_NAMES.size()
                        + " numeric features: " + String.join(", ", Applicant.FEATURE_NAMES),
                null, null, null, List.of(), draft.modelParameters().hyperparameters());
        IntendedUse use = new IntendedUse(
                List.of("Ranking loan applicants by estimated risk of default, so that analysts review the riskiest "
                        + "applications first"),
                List.of("credit analysts", "model risk reviewers"),
                List.of("Automated denial of credit, or any decision about an applicant without a person reviewing it",
                        "Setting interest rates, credit limits or collection actions",
                        "Applicants outside the population the data describes (ages 21 to 69, personal loans)"));
        List<Factor> factors = List.of(
                new Factor("age band", "21-34, 35-49, 50-69 years; age is a model input"),
                new Factor("home ownership", "owner or not; correlated with age and wealth"));

        List<MetricResult> metrics = new ArrayList<>();
        for (MetricResult result : draft.metrics()) {
            metrics.add(result.metric().equals("auc") ? new MetricResult("auc", null, result.value(), MIN_AUC) : result);
        }
        SlicedAuc auc = new SlicedAuc(model);
        for (Slice slice : SLICES) {
            SlicedAuc.Result result = auc.on(data.test(), slice.members());
            if (Double.isFinite(result.auc())) {
                metrics.add(new MetricResult("auc", slice.name(), result.auc(), MIN_AUC));
            }
        }

        List<EthicalConsideration> ethics = List.of(
                new EthicalConsideration("Age is a model input: younger applicants may be ranked as riskier for "
                        + "reasons outside their control",
                        "AUC is reported per age band; the score only orders applications for human review and "
                                + "never decides alone"),
                new EthicalConsideration("Home ownership can stand in for wealth and for protected characteristics",
                        "AUC is reported per home-ownership slice; fairness bounds are to be checked on real data "
                                + "before any approval"));
        List<String> caveats = List.of(
                "Trained and evaluated on synthetic data generated by 'keel demo': the figures say nothing about real "
                        + "applicants",
                String.format(Locale.ROOT, "The held-out set is small (%d applicants); the AUC of a slice carries wide "
                        + "uncertainty", data.test().size()));
        List<String> recommendations = List.of(
                "Retrain and re-validate on real, representative applications before any use",
                "Monitor AUC per slice after deployment and review drift monthly");

        return new ModelCard(details, parameters, use, factors, metrics, draft.trainingData(), draft.evaluationData(),
                ethics, caveats, recommendations, false, null, 0);
    }
}
