package dev.keel.api.serving;

/**
 * The outcome of a two-sided significance test between two variants.
 *
 * @param degreesOfFreedom Welch's approximation for the t-test; NaN for the z-test
 */
public record Significance(String test, double statistic, double pValue, double degreesOfFreedom) {

    /** Whether the difference is significant at level {@code alpha} (0.05 for 95%). */
    public boolean significantAt(double alpha) {
        return pValue < alpha;
    }
}
