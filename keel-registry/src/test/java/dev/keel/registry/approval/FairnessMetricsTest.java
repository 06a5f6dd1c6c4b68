package dev.keel.registry.approval;

import dev.keel.core.KeelException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class FairnessMetricsTest {
    private static final double EXACT = 1e-9;

    // Ten applicants. Owners: 3 of 5 selected (0.6); renters: 2 of 5 (0.4).
    // Owners' actual outcomes 1 1 0 1 0: TPR 2/3 (rows 0, 1 of 0, 1, 3), FPR 1/2 (row 2 of 2, 4).
    // Renters' actual outcomes 1 0 1 0 1: TPR 1/3 (row 0 of 0, 2, 4), FPR 1/2 (row 1 of 1, 3).
    static final List<String> HOME = groups("own", 5, "rent", 5);
    static final List<Boolean> PREDICTED = bools("11100" + "11000");
    static final List<Boolean> ACTUAL = bools("11010" + "10101");

    @Test
    void demographic_parity_difference_is_the_gap_between_the_highest_and_lowest_selection_rate() {
        assertThat(FairnessMetrics.selectionRates(PREDICTED, HOME))
                .containsExactly(java.util.Map.entry("own", 0.6), java.util.Map.entry("rent", 0.4));
        assertThat(FairnessMetrics.demographicParityDifference(PREDICTED, HOME)).isEqualTo(0.2);
    }

    @Test
    void disparate_impact_ratio_without_a_privileged_group_divides_the_lowest_rate_by_the_highest() {
        assertThat(FairnessMetrics.disparateImpactRatio(PREDICTED, HOME)).isCloseTo(0.4 / 0.6, within(EXACT));
    }

    @Test
    void disparate_impact_ratio_with_a_named_privileged_group_can_exceed_one() {
        assertThat(FairnessMetrics.disparateImpactRatio(PREDICTED, HOME, "rent")).isCloseTo(1.5, within(EXACT));
        assertThat(FairnessMetrics.disparateImpactRatio(PREDICTED, HOME, "own")).isCloseTo(0.4 / 0.6, within(EXACT));
    }

    @Test
    void disparate_impact_ratio_reports_the_group_farthest_from_parity_on_a_log_scale() {
        // a: 5 of 10, b: 4 of 10, c: 6 of 10; against a, b is 0.8 and c is 1.2; |log 0.8| > |log 1.2|
        List<String> groups = groups("a", 10, "b", 10, "c", 10);
        List<Boolean> predicted = bools("1111100000" + "1111000000" + "1111110000");
        assertThat(FairnessMetrics.disparateImpactRatio(predicted, groups, "a")).isCloseTo(0.8, within(EXACT));
        assertThat(FairnessMetrics.disparateImpactRatio(predicted, groups)).isCloseTo(4.0 / 6.0, within(EXACT));
    }

    @Test
    void disparate_impact_ratio_is_parity_when_nobody_is_selected_and_infinite_against_an_unselected_privileged_group() {
        assertThat(FairnessMetrics.disparateImpactRatio(bools("0000"), groups("a", 2, "b", 2))).isEqualTo(1.0);
        assertThat(FairnessMetrics.disparateImpactRatio(bools("0010"), groups("a", 2, "b", 2), "a"))
                .isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void an_unknown_privileged_group_is_refused_naming_the_groups_there_are() {
        assertThatThrownBy(() -> FairnessMetrics.disparateImpactRatio(PREDICTED, HOME, "lodger"))
                .isInstanceOf(KeelException.class)
                .hasMessageContaining("'lodger'").hasMessageContaining("own, rent");
    }

    @Test
    void equal_opportunity_difference_is_the_gap_in_true_positive_rate() {
        assertThat(FairnessMetrics.truePositiveRates(PREDICTED, ACTUAL, HOME).get("own")).isCloseTo(2.0 / 3, within(EXACT));
        assertThat(FairnessMetrics.truePositiveRates(PREDICTED, ACTUAL, HOME).get("rent")).isCloseTo(1.0 / 3, within(EXACT));
        assertThat(FairnessMetrics.equalOpportunityDifference(PREDICTED, ACTUAL, HOME)).isCloseTo(1.0 / 3, within(EXACT));
    }

    @Test
    void equalized_odds_difference_is_the_larger_of_the_true_and_false_positive_rate_gaps() {
        // TPR gap 1/3, FPR gap 0
        assertThat(FairnessMetrics.falsePositiveRates(PREDICTED, ACTUAL, HOME)).containsEntry("own", 0.5).containsEntry("rent", 0.5);
        assertThat(FairnessMetrics.equalizedOddsDifference(PREDICTED, ACTUAL, HOME)).isCloseTo(1.0 / 3, within(EXACT));

        // x: TPR 1, FPR 1 (both negatives predicted positive); y: TPR 1, FPR 0: the FPR gap decides
        List<String> groups = groups("x", 3, "y", 3);
        List<Boolean> predicted = bools("111" + "100");
        List<Boolean> actual = bools("100" + "100");
        assertThat(FairnessMetrics.equalOpportunityDifference(predicted, actual, groups)).isEqualTo(0.0);
        assertThat(FairnessMetrics.equalizedOddsDifference(predicted, actual, groups)).isEqualTo(1.0);
    }

    @Test
    void differences_of_rates_carry_no_floating_point_noise() {
        // 0.4 - 0.3 is 0.10000000000000003 in doubles; a bound of exactly 0.1 must see 0.1
        List<String> groups = groups("a", 10, "b", 10);
        List<Boolean> predicted = bools("1111000000" + "1110000000");
        assertThat(FairnessMetrics.demographicParityDifference(predicted, groups)).isEqualTo(0.1);
    }

    @Test
    void one_group_is_parity() {
        assertThat(FairnessMetrics.demographicParityDifference(bools("101"), groups("all", 3))).isEqualTo(0.0);
        assertThat(FairnessMetrics.disparateImpactRatio(bools("101"), groups("all", 3))).isEqualTo(1.0);
    }

    /**
     * The data of Fairlearn's user guide (Assessment, "Metrics with Grouping"): y_true, y_pred and
     * groups a–d. The guide shows recall by group a 0, b 0.5, c 0.75, d 0; the selection rates
     * were counted by hand: a 1/2, b 2/4, c 5/7, d 1/3.
     */
    @Test
    void the_numbers_agree_with_fairlearns_user_guide_example() {
        List<Boolean> actual = bools("0111101010001111");
        List<Boolean> predicted = bools("0010111001111001");
        List<String> groups = Arrays.asList("d", "a", "c", "b", "b", "c", "c", "c", "b", "d", "c", "a", "b", "d", "c", "c");

        var recall = FairnessMetrics.truePositiveRates(predicted, actual, groups);
        assertThat(recall).containsEntry("a", 0.0).containsEntry("b", 0.5).containsEntry("c", 0.75).containsEntry("d", 0.0);
        assertThat(FairnessMetrics.equalOpportunityDifference(predicted, actual, groups)).isEqualTo(0.75);

        var selection = FairnessMetrics.selectionRates(predicted, groups);
        assertThat(selection.get("c")).isCloseTo(5.0 / 7, within(EXACT));
        assertThat(selection.get("d")).isCloseTo(1.0 / 3, within(EXACT));
        assertThat(FairnessMetrics.demographicParityDifference(predicted, groups)).isCloseTo(8.0 / 21, within(EXACT));
        assertThat(FairnessMetrics.disparateImpactRatio(predicted, groups)).isCloseTo((1.0 / 3) / (5.0 / 7), within(EXACT));
    }

    @Test
    void a_group_without_actual_negatives_leaves_equalized_odds_undefined_and_is_refused() {
        // in the same data, every row of group b is an actual positive: its false positive rate does not exist
        List<Boolean> actual = bools("0111101010001111");
        List<Boolean> predicted = bools("0010111001111001");
        List<String> groups = Arrays.asList("d", "a", "c", "b", "b", "c", "c", "c", "b", "d", "c", "a", "b", "d", "c", "c");

        assertThatThrownBy(() -> FairnessMetrics.equalizedOddsDifference(predicted, actual, groups))
                .isInstanceOf(KeelException.class)
                .hasMessageContaining("group 'b' has no actual negatives");
    }

    @Test
    void rows_must_line_up() {
        assertThatThrownBy(() -> FairnessMetrics.demographicParityDifference(bools("101"), groups("a", 2)))
                .isInstanceOf(KeelException.class).hasMessageContaining("3 predictions but 2 groups");
        assertThatThrownBy(() -> FairnessMetrics.demographicParityDifference(List.of(), List.of()))
                .isInstanceOf(KeelException.class).hasMessageContaining("at least one row");
    }

    static List<Boolean> bools(String bits) {
        List<Boolean> values = new ArrayList<>();
        for (char c : bits.toCharArray()) {
            values.add(c == '1');
        }
        return values;
    }

    /** Alternating name and count: {@code groups("own", 5, "rent", 5)}. */
    static List<String> groups(Object... nameThenCount) {
        List<String> groups = new ArrayList<>();
        for (int i = 0; i < nameThenCount.length; i += 2) {
            for (int n = 0; n < (Integer) nameThenCount[i + 1]; n++) {
                groups.add((String) nameThenCount[i]);
            }
        }
        return groups;
    }
}
