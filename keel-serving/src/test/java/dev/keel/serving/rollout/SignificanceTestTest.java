package dev.keel.serving.rollout;

import dev.keel.api.serving.Moments;
import dev.keel.api.serving.Significance;
import dev.keel.core.KeelException;
import org.apache.commons.statistics.inference.ChiSquareTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SignificanceTestTest {

    /**
     * A textbook exercise: 140 of 200 against 255 of 340. Pooled p = 0.7315, standard error
     * 0.039494, z = -1.2660; two-sided p = 2 (1 - Phi(1.266)) = 0.2055.
     */
    @Test
    void two_proportion_z_test_matches_the_textbook() {
        Significance result = SignificanceTest.twoProportion(140, 200, 255, 340);
        assertThat(result.statistic()).isCloseTo(-1.266015, within(1e-5));
        assertThat(result.pValue()).isCloseTo(0.2055, within(1e-4));
        assertThat(result.significantAt(0.05)).isFalse();
    }

    /** A second exercise: 28 of 254 against 36 of 301 gives z = -0.344, p = 0.731. */
    @Test
    void two_proportion_z_test_matches_a_second_textbook_exercise() {
        Significance result = SignificanceTest.twoProportion(28, 254, 36, 301);
        assertThat(result.statistic()).isCloseTo(-0.344, within(1e-3));
        assertThat(result.pValue()).isCloseTo(0.731, within(1e-3));
    }

    /** The z-test is the 2x2 chi-square test of independence (without continuity correction), squared. */
    @Test
    void two_proportion_z_test_agrees_with_commons_chi_square() {
        Significance z = SignificanceTest.twoProportion(120, 200, 90, 200);
        var chi = ChiSquareTest.withDefaults().test(new long[][] {{120, 80}, {90, 110}});
        assertThat(z.statistic() * z.statistic()).isCloseTo(chi.getStatistic(), within(1e-9));
        assertThat(z.pValue()).isCloseTo(chi.getPValue(), within(1e-12));
        assertThat(z.significantAt(0.05)).isTrue();
    }

    /**
     * Welch's worked example (Wikipedia, "Welch's t-test", example 1): two samples of 15 with
     * means 20.82 and 22.99; t = -2.46, about 24.99 degrees of freedom, p = 0.021.
     */
    @Test
    void welch_t_test_matches_the_worked_example() {
        double[] a1 = {27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4};
        double[] a2 = {27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4};
        Significance result = SignificanceTest.welch(moments(a1), moments(a2));
        assertThat(result.statistic()).isCloseTo(-2.46, within(0.005));
        assertThat(result.degreesOfFreedom()).isCloseTo(24.99, within(0.01));
        assertThat(result.pValue()).isCloseTo(0.021, within(0.0005));
        assertThat(result.significantAt(0.05)).isTrue();
    }

    @Test
    void equal_rates_or_no_spread_are_no_difference() {
        assertThat(SignificanceTest.twoProportion(0, 50, 0, 80).pValue()).isEqualTo(1.0);
        assertThat(SignificanceTest.welch(3, 0, 10, 3, 0, 10).pValue()).isEqualTo(1.0);
    }

    @Test
    void impossible_counts_are_refused() {
        assertThatThrownBy(() -> SignificanceTest.twoProportion(5, 4, 1, 10)).isInstanceOf(KeelException.class)
                .hasMessageContaining("variant a");
        assertThatThrownBy(() -> SignificanceTest.twoProportion(1, 10, -1, 10)).isInstanceOf(KeelException.class)
                .hasMessageContaining("variant b");
        assertThatThrownBy(() -> SignificanceTest.twoProportion(0, 0, 1, 10)).isInstanceOf(KeelException.class);
        assertThatThrownBy(() -> SignificanceTest.welch(1, 1, 1, 2, 1, 10)).isInstanceOf(KeelException.class)
                .hasMessageContaining("at least 2");
        assertThatThrownBy(() -> SignificanceTest.welch(Double.NaN, 1, 5, 2, 1, 10)).isInstanceOf(KeelException.class);
    }

    private static Moments moments(double[] values) {
        double sum = 0;
        double squares = 0;
        for (double value : values) {
            sum += value;
            squares += value * value;
        }
        return new Moments(values.length, sum, squares);
    }
}
