package dev.keel.registry.approval;

import dev.keel.api.registry.RiskTier;
import dev.keel.api.registry.card.CardSection;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import dev.keel.store.search.Comparator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class ApprovalPolicyTest {
    static final String POLICY = """
            tiers:
              low:
                approvers: 1
                checks:
                  - digests_verified
              medium:
                approvers: 1
                checks:
                  - card_sections: [intended_use]
                  - metric: "metrics.auc >= 0.75"
              high:
                approvers: 2
                checks:
                  - card_sections: [intended_use, quantitative_analysis, ethical_considerations]
                  - metric: "metrics.auc >= 0.80"
                  - fairness: {metric: demographic_parity_difference, attribute: home_ownership, max: 0.1}
                  - fairness: {metric: disparate_impact_ratio, attribute: home_ownership, min: 0.8, max: 1.25}
                  - fairness: {metric: equalized_odds_difference, attribute: age_band, max: 0.1}
                  - signature_present
                  - digests_verified
            """;

    @Test
    void a_policy_file_sets_approvers_and_checks_per_tier() {
        ApprovalPolicy policy = ApprovalPolicy.parse("policy.yaml", POLICY);

        assertThat(policy.tier(RiskTier.LOW)).isEqualTo(new TierPolicy(1, List.of(new DigestsVerified())));
        assertThat(policy.tier(RiskTier.HIGH).approvers()).isEqualTo(2);
        assertThat(policy.tier(RiskTier.HIGH).checks()).containsExactly(
                new RequiredCardSections(List.of(CardSection.INTENDED_USE, CardSection.QUANTITATIVE_ANALYSIS,
                        CardSection.ETHICAL_CONSIDERATIONS)),
                new MetricThreshold("auc", Comparator.GE, 0.80),
                new FairnessBound(FairnessMetric.DEMOGRAPHIC_PARITY_DIFFERENCE, "home_ownership", null, 0.1, null),
                new FairnessBound(FairnessMetric.DISPARATE_IMPACT_RATIO, "home_ownership", 0.8, 1.25, null),
                new FairnessBound(FairnessMetric.EQUALIZED_ODDS_DIFFERENCE, "age_band", null, 0.1, null),
                new SignaturePresent(),
                new DigestsVerified());
        assertThat(policy.tier(RiskTier.HIGH).checks().get(1).describe()).isEqualTo("metrics.auc >= 0.8");
    }

    @Test
    void keel_ships_a_default_policy_with_two_approvers_for_high_risk() {
        ApprovalPolicy policy = ApprovalPolicy.defaults();

        assertThat(policy.tier(RiskTier.HIGH).approvers()).isEqualTo(2);
        assertThat(policy.tier(RiskTier.LOW).approvers()).isEqualTo(1);
        assertThat(policy.tier(RiskTier.HIGH).checks()).contains(new SignaturePresent(), new DigestsVerified());
        assertThat(policy.source()).contains("approval-policy.yaml");
    }

    @Test
    void a_policy_in_keel_home_replaces_the_default(@TempDir Path home) throws IOException {
        assertThat(ApprovalPolicy.inHome(home)).isEqualTo(ApprovalPolicy.defaults());

        Files.writeString(home.resolve("approval-policy.yaml"), POLICY);
        ApprovalPolicy policy = ApprovalPolicy.inHome(home);
        assertThat(policy.source()).isEqualTo(home.resolve("approval-policy.yaml").toString());
        assertThat(policy.tier(RiskTier.MEDIUM).checks()).hasSize(2);
    }

    @Test
    void a_broken_policy_file_stops_loading_naming_the_file_the_tier_and_the_check(@TempDir Path home) throws IOException {
        Path file = home.resolve("approval-policy.yaml");
        Files.writeString(file, POLICY.replace("- signature_present", "- signed_by_ceo"));

        assertThatThrownBy(() -> ApprovalPolicy.inHome(home))
                .isInstanceOf(KeelException.class)
                .hasMessage("approval policy " + file + ", tier 'high', check 6: unknown check 'signed_by_ceo'; "
                        + "expected one of card_sections, metric, fairness, signature_present, digests_verified")
                .extracting(e -> ((KeelException) e).code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
    }

    @Test
    void the_gate_is_auto_unless_the_policy_says_otherwise_and_auto_follows_authentication() {
        assertThat(ApprovalPolicy.parse("p.yaml", POLICY).gate()).isEqualTo(ApprovalGate.AUTO);
        assertThat(ApprovalPolicy.defaults().gate().mode()).isEqualTo(ApprovalGate.Mode.AUTO);
        assertThat(ApprovalPolicy.parse("p.yaml", "gate: {protected_aliases: [prod]}\n" + POLICY).gate().mode())
                .isEqualTo(ApprovalGate.Mode.AUTO);
        assertThat(ApprovalPolicy.parse("p.yaml", "gate: {enabled: auto}\n" + POLICY).gate().mode())
                .isEqualTo(ApprovalGate.Mode.AUTO);
        assertThat(ApprovalPolicy.parse("p.yaml", "gate: {enabled: \"false\"}\n" + POLICY).gate().mode())
                .isEqualTo(ApprovalGate.Mode.OFF);

        ApprovalGate auto = ApprovalPolicy.defaults().gate();
        assertThat(auto.resolve(true).guards(dev.keel.api.registry.Stage.PRODUCTION)).isTrue();
        assertThat(auto.resolve(true).guards("champion")).isTrue();
        assertThat(auto.resolve(false).guards(dev.keel.api.registry.Stage.PRODUCTION)).isFalse();
        assertThat(auto.resolve(false).guards("champion")).isFalse();
        // an unresolved gate has no answer: the registry must not guess
        assertThatThrownBy(auto::enabled).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void a_gate_set_on_or_off_ignores_authentication() {
        ApprovalGate gate = ApprovalPolicy.parse("p.yaml", "gate: {enabled: true}\n" + POLICY).gate();
        assertThat(gate.resolve(false).guards(dev.keel.api.registry.Stage.PRODUCTION)).isTrue();
        assertThat(gate.guards(dev.keel.api.registry.Stage.STAGING)).isTrue();
        assertThat(gate.guards(dev.keel.api.registry.Stage.ARCHIVED)).isFalse();
        assertThat(gate.guards("champion")).isTrue();
        assertThat(gate.guards("challenger")).isFalse();
        ApprovalGate off = ApprovalPolicy.parse("p.yaml", "gate: {enabled: false}\n" + POLICY).gate();
        assertThat(off.resolve(true).guards(dev.keel.api.registry.Stage.PRODUCTION)).isFalse();
        assertThat(ApprovalPolicy.parse("p.yaml", "gate: {enabled: true, protected_aliases: [prod, shadow]}\n" + POLICY)
                .gate().protectedAliases()).containsExactly("prod", "shadow");
    }

    static Stream<Arguments> broken_policies() {
        return Stream.of(
                arguments("an unknown check key", POLICY.replace("- metric: \"metrics.auc >= 0.80\"", "- latency: 20"),
                        "approval policy p.yaml, tier 'high', check 2: unknown check 'latency'"),
                arguments("an unknown card section, listing the known ones",
                        POLICY.replace("[intended_use, quantitative", "[intended_uses, quantitative"),
                        "approval policy p.yaml, tier 'high', check 1: unknown model card section 'intended_uses'; expected one of model_details"),
                arguments("an unknown fairness metric", POLICY.replace("metric: equalized_odds_difference", "metric: calibration_gap"),
                        "approval policy p.yaml, tier 'high', check 5: unknown fairness metric 'calibration_gap'; expected one of "
                                + "demographic_parity_difference, disparate_impact_ratio, equalized_odds_difference, equal_opportunity_difference"),
                // a malformed metric expression is quoted
                arguments("a metric expression that is not a comparison", POLICY.replace("metrics.auc >= 0.80", "metrics.auc >> 0.80"),
                        "approval policy p.yaml, tier 'high', check 2: metric \"metrics.auc >> 0.80\" is not a comparison"),
                arguments("a metric compared with a string", POLICY.replace("metrics.auc >= 0.80", "metrics.auc >= 'high'"),
                        "tier 'high', check 2: metric \"metrics.auc >= 'high'\" is not a comparison"),
                arguments("a metric check that compares a param", POLICY.replace("metrics.auc >= 0.80", "params.lr = '0.1'"),
                        "tier 'high', check 2: metric \"params.lr = '0.1'\" must compare a metric (metrics.<key>), not a param"),
                arguments("a metric check of two comparisons",
                        POLICY.replace("metrics.auc >= 0.80", "metrics.auc >= 0.8 AND metrics.f1 > 0.5"),
                        "tier 'high', check 2: metric \"metrics.auc >= 0.8 AND metrics.f1 > 0.5\" must be one comparison, got 2"),
                arguments("a metric check that is not a quoted expression",
                        POLICY.replace("- metric: \"metrics.auc >= 0.80\"", "- metric: 0.8"),
                        "tier 'high', check 2: 'metric' must be a quoted expression"),
                arguments("a missing tier", POLICY.replaceAll("(?s)  medium:.*?  high:", "  high:"),
                        "approval policy p.yaml: missing tier 'medium'; a policy sets low, medium and high"),
                arguments("an unknown tier", POLICY.replace("  low:", "  lowest:"),
                        "approval policy p.yaml: unknown tier 'lowest'; expected low, medium and high"),
                // approvers must be a whole number from one to ten
                arguments("no approvers", POLICY.replace("approvers: 2", "approvers: 0"),
                        "approval policy p.yaml, tier 'high': 'approvers' must be between 1 and 10, got 0"),
                arguments("approvers in words", POLICY.replace("approvers: 2", "approvers: two"),
                        "tier 'high': 'approvers' must be a whole number from 1 to 10, got \"two\""),
                arguments("approvers missing", POLICY.replace("    approvers: 2\n", ""),
                        "tier 'high': 'approvers' must be a whole number from 1 to 10; it is missing"),
                // unknown keys are refused wherever they are
                arguments("an unknown top-level key", "version: 2\n" + POLICY,
                        "approval policy p.yaml: unknown key 'version' in the top level; expected gate, tiers"),
                arguments("an unknown key in a tier", POLICY.replace("    approvers: 2", "    approvers: 2\n    reviewers: 3"),
                        "tier 'high': unknown key 'reviewers' in a tier; expected approvers, checks"),
                arguments("an unknown fairness key",
                        POLICY.replace("attribute: age_band, max: 0.1", "attribute: age_band, maximum: 0.1"),
                        "tier 'high', check 5: unknown fairness key 'maximum'"),
                // fairness bounds must make sense
                arguments("a fairness bound without min or max", POLICY.replace("attribute: age_band, max: 0.1", "attribute: age_band"),
                        "tier 'high', check 5: a fairness bound needs 'min', 'max' or both"),
                arguments("a fairness min above its max", POLICY.replace("min: 0.8, max: 1.25", "min: 1.25, max: 0.8"),
                        "tier 'high', check 4: fairness bound 'min' 1.25 is above 'max' 0.8"),
                arguments("a privileged group on a metric that has none",
                        POLICY.replace("{metric: equalized_odds_difference, attribute: age_band,",
                                "{metric: equalized_odds_difference, privileged_group: old, attribute: age_band,"),
                        "tier 'high', check 5: 'privileged_group' applies to disparate_impact_ratio only"),
                arguments("a fairness bound that is a string",
                        POLICY.replace("attribute: age_band, max: 0.1", "attribute: age_band, max: '0.1'"),
                        "tier 'high', check 5: fairness 'max' must be a number, got \"0.1\""),
                arguments("a fairness bound without an attribute", POLICY.replace("attribute: age_band, ", ""),
                        "tier 'high', check 5: 'fairness' needs 'attribute'"),
                // flag checks take no value and valued checks need one
                arguments("a flag check given a value", POLICY.replace("- signature_present", "- signature_present: true"),
                        "tier 'high', check 6: 'signature_present' takes no value; write it as '- signature_present'"),
                arguments("a valued check without its value", POLICY.replace("- digests_verified\n  medium", "- card_sections\n  medium"),
                        "tier 'low', check 1: 'card_sections' needs a value"),
                // a malformed gate
                arguments("a gate that is not a mapping", "gate: yes\n" + POLICY, "approval policy p.yaml: 'gate' must be a mapping"),
                arguments("a gate enabled by a number", "gate: {enabled: 1}\n" + POLICY,
                        "'gate.enabled' must be true, false or auto, got 1"),
                arguments("a gate enabled by a word it does not know", "gate: {enabled: sometimes}\n" + POLICY,
                        "'gate.enabled' must be true, false or auto, got \"sometimes\""),
                arguments("an unknown key in the gate", "gate: {enabled: true, aliases: [x]}\n" + POLICY,
                        "unknown key 'aliases' in 'gate'"),
                arguments("a gate protecting a reserved alias", "gate: {enabled: true, protected_aliases: [latest]}\n" + POLICY,
                        "'gate.protected_aliases': alias 'latest' is reserved"),
                arguments("a check listed twice", POLICY.replace("      - signature_present", "      - digests_verified"),
                        "tier 'high', check 7: repeats check 6 (digests_verified)"),
                // YAML errors and duplicate keys
                arguments("a file that is not YAML", "tiers: [", "approval policy p.yaml: the file is not valid YAML"),
                arguments("an empty file", "", "approval policy p.yaml: the file is empty"),
                arguments("a key given twice", POLICY.replace("    approvers: 2", "    approvers: 2\n    approvers: 3"),
                        "approval policy p.yaml: the file is not valid YAML: Duplicate field 'approvers'"));
    }

    @ParameterizedTest(name = "{0} is refused")
    @MethodSource
    void broken_policies(String what, String yaml, String message) {
        assertThatThrownBy(() -> ApprovalPolicy.parse("p.yaml", yaml))
                .isInstanceOf(KeelException.class)
                .hasMessageContaining(message);
    }
}
