package dev.keel.api.serving;

/** Count, sum and sum of squares of a numeric metric: enough for its mean and variance, and for Welch's t-test. */
public record Moments(long count, double sum, double sumOfSquares) {
    public static final Moments EMPTY = new Moments(0, 0, 0);

    public double mean() {
        return count == 0 ? Double.NaN : sum / count;
    }

    /** The sample variance (n - 1 in the denominator); NaN below two samples. */
    public double variance() {
        if (count < 2) {
            return Double.NaN;
        }
        double mean = mean();
        // sums of squares lose precision against large means; a tiny negative is rounding, not a variance
        return Math.max(0, (sumOfSquares - count * mean * mean) / (count - 1));
    }
}
