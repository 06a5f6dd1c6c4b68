package dev.keel.registry.approval;

import dev.keel.api.approval.EvaluationSet;
import dev.keel.api.registry.Lineage;
import dev.keel.api.registry.ManifestFile;
import dev.keel.api.registry.ModelManifest;
import dev.keel.api.registry.ModelVersion;
import dev.keel.api.registry.ModelVersionStatus;
import dev.keel.api.registry.RiskTier;
import dev.keel.api.registry.Stage;
import dev.keel.api.registry.card.CardSection;
import dev.keel.api.registry.card.ModelCard;
import dev.keel.api.registry.flavor.Flavor;
import dev.keel.api.registry.flavor.Signature;
import dev.keel.api.registry.flavor.TensorSpec;
import dev.keel.api.tracking.LifecycleStage;
import dev.keel.api.tracking.Metric;
import dev.keel.api.tracking.Run;
import dev.keel.api.tracking.RunData;
import dev.keel.api.tracking.RunInfo;
import dev.keel.api.tracking.RunStatus;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import dev.keel.registry.card.SampleCards;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.keel.registry.approval.FairnessMetricsTest.bools;
import static dev.keel.registry.approval.FairnessMetricsTest.groups;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApprovalChecksTest {
    static final Signature SIGNATURE = new Signature(List.of(new TensorSpec("features", "float32", List.of(-1L, 9L))),
            List.of(new TensorSpec("probabilities", "float32", List.of(-1L, 2L))));
    static final List<ManifestFile> FILES = List.of(new ManifestFile("MLmodel", "b".repeat(64), 120),
            new ManifestFile("model.onnx", "a".repeat(64), 1234));

    // home_ownership: own 3 of 5 selected, rent 2 of 5 → difference 0.2, ratio 0.6667
    // age_band: young/old with identical outcomes → every gap 0
    static final EvaluationSet EVALUATION = new EvaluationSet(FairnessMetricsTest.PREDICTED, FairnessMetricsTest.ACTUAL,
            Map.of("home_ownership", FairnessMetricsTest.HOME,
                    "age_band", List.of("young", "young", "young", "young", "young", "old", "old", "old", "old", "old")));

    static ModelVersion version(String runId, Signature signature) {
        return new ModelVersion("credit", 3, 1000, 1000, "alice", Stage.NONE, null, "runs:/" + runId + "/model", runId,
                ModelVersionStatus.READY, null, List.of(), null, List.of(),
                new ModelManifest(Flavor.ONNX, "model.onnx", signature, FILES, new Lineage(runId, List.of())));
    }

    static Run run(String runId, Map<String, Double> metrics) {
        return new Run(new RunInfo(runId, "train", "0", "alice", RunStatus.FINISHED, 0, 1L, "file:/a", LifecycleStage.ACTIVE),
                new RunData(metrics.entrySet().stream().map(e -> new Metric(e.getKey(), e.getValue(), 0, 0)).toList(),
                        List.of(), List.of()));
    }

    static CheckContext context(ModelCard card, Map<String, Double> metrics, EvaluationSet evaluation) {
        return CheckContext.of(version("r1", SIGNATURE), card, run("r1", metrics), evaluation,
                new DigestVerification.Verified(FILES.size()));
    }

    static final CheckContext GOOD = context(SampleCards.complete(), Map.of("auc", 0.8193), EVALUATION);

    @Test
    void the_policy_example_runs_every_check_in_order_with_explained_results() {
        ApprovalPolicy policy = ApprovalPolicy.parse("p.yaml", ApprovalPolicyTest.POLICY);

        List<CheckResult> results = ApprovalChecks.evaluate(policy, RiskTier.HIGH, GOOD);

        assertThat(results).extracting(CheckResult::detail).containsExactly(
                "the model card has intended_use, quantitative_analysis, ethical_considerations: passed",
                "metrics.auc = 0.8193 ≥ 0.8: passed",
                "demographic parity difference for home_ownership = 0.2 > 0.1 (selection rate own 0.6, rent 0.4): failed",
                "disparate impact ratio for home_ownership = 0.6667 < 0.8 (selection rate own 0.6, rent 0.4): failed",
                "equalized odds difference for age_band = 0.3333 > 0.1 (true positive rate old 0.3333, young 0.6667; "
                        + "false positive rate old 0.5, young 0.5): failed",
                "the manifest records a signature with 1 input and 1 output: passed",
                "all 2 files match their manifest digests: passed");
        assertThat(results).extracting(CheckResult::check).containsExactlyElementsOf(policy.tier(RiskTier.HIGH).checks());
        assertThat(ApprovalChecks.allPassed(results)).isFalse();
        assertThat(ApprovalChecks.evaluate(policy, RiskTier.HIGH, GOOD)).isEqualTo(results);
        assertThat(ApprovalChecks.allPassed(ApprovalChecks.evaluate(policy, RiskTier.LOW, GOOD))).isTrue();
    }

    @Test
    void required_card_sections_fail_naming_what_each_missing_section_needs() {
        Check check = new RequiredCardSections(List.of(CardSection.INTENDED_USE, CardSection.FACTORS, CardSection.METRICS));
        ModelCard withoutFactors = SampleCards.edited(SampleCards.complete(), card -> card.putArray("factors"));

        assertThat(check.evaluate(context(withoutFactors, Map.of(), null)))
                .isEqualTo(new CheckResult(check, false, "the model card is missing factors (needs at least one factor): failed"));
        assertThat(check.evaluate(context(null, Map.of(), null)).detail()).isEqualTo("the model card is missing intended_use "
                + "(needs at least one primary use), factors (needs at least one factor), metrics (needs at least one metric result): failed");
        assertThat(check.evaluate(GOOD).passed()).isTrue();
    }

    @Test
    void a_metric_threshold_compares_the_source_runs_latest_value() {
        MetricThreshold atLeast = MetricThreshold.parse("metrics.auc >= 0.80");
        MetricThreshold below = MetricThreshold.parse("metrics.log_loss < 0.5");

        assertThat(atLeast.evaluate(context(null, Map.of("auc", 0.75), null)).detail()).isEqualTo("metrics.auc = 0.75 < 0.8: failed");
        assertThat(atLeast.evaluate(context(null, Map.of("auc", 0.8), null)).detail()).isEqualTo("metrics.auc = 0.8 ≥ 0.8: passed");
        assertThat(atLeast.evaluate(context(null, Map.of("auc", 0.79996), null)).detail())
                .isEqualTo("metrics.auc = 0.79996 < 0.8: failed");
        assertThat(below.evaluate(context(null, Map.of("log_loss", 0.31), null)).detail())
                .isEqualTo("metrics.log_loss = 0.31 < 0.5: passed");
        assertThat(below.evaluate(context(null, Map.of("log_loss", 0.5), null)).detail())
                .isEqualTo("metrics.log_loss = 0.5 ≥ 0.5: failed");
    }

    @Test
    void a_metric_threshold_fails_clearly_without_the_metric_or_without_a_source_run() {
        MetricThreshold check = MetricThreshold.parse("metrics.auc >= 0.80");

        assertThat(check.evaluate(context(null, Map.of("f1", 0.9), null)).detail())
                .isEqualTo("metrics.auc was not recorded by source run r1: failed");
        assertThat(check.evaluate(context(null, Map.of("auc", Double.NaN), null)).detail())
                .isEqualTo("metrics.auc = NaN is not a number: failed");
        CheckContext noRun = CheckContext.of(version(null, SIGNATURE), null, null, null, new DigestVerification.Verified(2));
        assertThat(check.evaluate(noRun).detail())
                .isEqualTo("metrics.auc cannot be checked: version 3 of 'credit' has no source run: failed");
    }

    @Test
    void a_fairness_bound_passes_within_its_bounds() {
        Check difference = new FairnessBound(FairnessMetric.DEMOGRAPHIC_PARITY_DIFFERENCE, "home_ownership", null, 0.25, null);
        Check ratio = new FairnessBound(FairnessMetric.DISPARATE_IMPACT_RATIO, "home_ownership", 0.6, 1.25, null);
        Check opportunity = new FairnessBound(FairnessMetric.EQUAL_OPPORTUNITY_DIFFERENCE, "home_ownership", null, 0.1, null);

        assertThat(difference.evaluate(GOOD).detail())
                .isEqualTo("demographic parity difference for home_ownership = 0.2 ≤ 0.25 (selection rate own 0.6, rent 0.4): passed");
        assertThat(ratio.evaluate(GOOD).detail())
                .isEqualTo("disparate impact ratio for home_ownership = 0.6667 within [0.6, 1.25] (selection rate own 0.6, rent 0.4): passed");
        assertThat(opportunity.evaluate(GOOD).detail()).isEqualTo("equal opportunity difference for home_ownership = 0.3333 > 0.1 "
                + "(true positive rate own 0.6667, rent 0.3333): failed");
    }

    @Test
    void a_ratio_above_its_maximum_fails_when_the_privileged_group_is_selected_less() {
        Check check = new FairnessBound(FairnessMetric.DISPARATE_IMPACT_RATIO, "home_ownership", 0.8, 1.25, "rent");

        assertThat(check.evaluate(GOOD).detail())
                .isEqualTo("disparate impact ratio for home_ownership = 1.5 > 1.25 (selection rate own 0.6, rent 0.4): failed");
    }

    @Test
    void a_fairness_bound_without_an_evaluation_set_fails_saying_so() {
        Check check = new FairnessBound(FairnessMetric.DEMOGRAPHIC_PARITY_DIFFERENCE, "home_ownership", null, 0.1, null);

        assertThat(check.evaluate(context(SampleCards.complete(), Map.of(), null)))
                .isEqualTo(new CheckResult(check, false, "demographic parity difference for home_ownership cannot be computed: "
                        + "no evaluation set recorded for version 3 of 'credit': failed"));
    }

    @Test
    void a_fairness_bound_on_an_attribute_the_evaluation_set_lacks_fails_naming_the_ones_it_has() {
        Check check = new FairnessBound(FairnessMetric.DEMOGRAPHIC_PARITY_DIFFERENCE, "gender", null, 0.1, null);

        assertThat(check.evaluate(GOOD).detail()).isEqualTo("demographic parity difference for gender cannot be computed: "
                + "the evaluation set has no sensitive attribute 'gender'; it has age_band, home_ownership: failed");
    }

    @Test
    void a_fairness_bound_fails_when_a_group_leaves_its_metric_undefined() {
        Check check = new FairnessBound(FairnessMetric.EQUALIZED_ODDS_DIFFERENCE, "region", null, 0.1, null);
        EvaluationSet set = new EvaluationSet(bools("1010"), bools("1011"), Map.of("region", groups("north", 2, "south", 2)));

        CheckResult result = check.evaluate(context(null, Map.of(), set));

        assertThat(result.passed()).isFalse();
        assertThat(result.detail()).isEqualTo("equalized odds difference for region cannot be computed: group 'south' has no "
                + "actual negatives, so its rate is undefined; the evaluation set needs actual negatives in every group: failed");
    }

    @Test
    void signature_present_needs_a_signature_with_inputs_and_outputs() {
        Check check = new SignaturePresent();
        DigestVerification ok = new DigestVerification.Verified(2);

        assertThat(check.evaluate(GOOD).passed()).isTrue();
        assertThat(check.evaluate(CheckContext.of(version("r1", null), null, null, null, ok)).detail())
                .isEqualTo("the manifest records no input/output signature: failed");
        Signature noOutputs = new Signature(SIGNATURE.inputs(), List.of());
        assertThat(check.evaluate(CheckContext.of(version("r1", noOutputs), null, null, null, ok)).detail())
                .isEqualTo("the manifest's signature has 1 input and 0 outputs; it needs at least one of each: failed");
    }

    @Test
    void digests_verified_reports_the_file_that_no_longer_matches() {
        Check check = new DigestsVerified();
        String tampered = "model file 'model.onnx' of version 3 of registered model 'credit' does not match its manifest digest";
        DigestVerification mismatch = DigestVerification.of(() -> {
            throw new KeelException(ErrorCode.RESOURCE_CONFLICT, tampered);
        });

        assertThat(mismatch).isEqualTo(new DigestVerification.Mismatch(tampered));
        assertThat(check.evaluate(CheckContext.of(version("r1", SIGNATURE), null, null, null, mismatch)))
                .isEqualTo(new CheckResult(check, false, tampered + ": failed"));
        assertThat(DigestVerification.of(() -> version("r1", SIGNATURE).manifest()))
                .isEqualTo(new DigestVerification.Verified(2));
    }

    @Test
    void digest_verification_passes_on_errors_that_are_not_about_the_files() {
        assertThatThrownBy(() -> DigestVerification.of(() -> {
            throw KeelException.notFound("registered model 'credit' has no version 9");
        })).isInstanceOf(KeelException.class).hasMessageContaining("no version 9");
    }

    @Test
    void the_context_takes_the_latest_metrics_of_the_source_run_and_an_optional_evaluation_set() {
        assertThat(GOOD.metrics()).containsExactly(Map.entry("auc", 0.8193));
        assertThat(GOOD.evaluation()).contains(EVALUATION);
        assertThat(GOOD.missingSections()).isEmpty();
        assertThat(GOOD.manifest().files()).hasSize(2);
        assertThat(context(null, Map.of(), null).evaluation()).isEqualTo(Optional.empty());
        assertThat(context(null, Map.of(), null).missingSections()).containsExactly(CardSection.values());
    }

    @Test
    void an_evaluation_set_refuses_rows_that_do_not_line_up() {
        assertThatThrownBy(() -> new EvaluationSet(bools("10"), bools("1"), Map.of()))
                .isInstanceOf(KeelException.class).hasMessageContaining("2 predicted values but 1 actual");
        assertThatThrownBy(() -> new EvaluationSet(bools("10"), bools("11"), Map.of("region", List.of("north"))))
                .isInstanceOf(KeelException.class).hasMessageContaining("sensitive attribute 'region' has 1 values");
        assertThatThrownBy(() -> new EvaluationSet(List.of(), List.of(), Map.of()))
                .isInstanceOf(KeelException.class).hasMessageContaining("at least one row");
    }
}
