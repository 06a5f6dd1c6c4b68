package dev.keel.api.serving;

/**
 * Two variants of an A/B test side by side on one metric, over their totals, and whether the
 * difference is significant (computed by the serving module's significance tests).
 *
 * @param valueA the metric for variant a: error rate in percent, mean latency in milliseconds, or the signal's mean
 */
public record VariantComparison(String metric, String a, String b, double valueA, double valueB, long samplesA,
                                long samplesB, Significance significance) {
}
