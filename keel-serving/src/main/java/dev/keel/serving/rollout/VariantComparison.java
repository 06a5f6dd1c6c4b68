package dev.keel.serving.rollout;

import dev.keel.core.KeelException;

/**
 * Two variants of an A/B test side by side on one metric, over their totals, and whether the
 * difference is significant. Rates go through the two-proportion z-test, means through Welch's
 * t-test.
 *
 * @param valueA the metric for variant a: error rate in percent, mean latency in milliseconds, or the signal's mean
 */
public record VariantComparison(String metric, String a, String b, double valueA, double valueB, long samplesA,
                                long samplesB, Significance significance) {

    public static VariantComparison of(ComparedMetric metric, String a, Totals totalsA, String b, Totals totalsB) {
        switch (metric.kind()) {
            case ERROR_RATE -> {
                Significance test = SignificanceTest.twoProportion(totalsA.errors(), requireSome(a, totalsA.requests()),
                        totalsB.errors(), requireSome(b, totalsB.requests()));
                return new VariantComparison(metric.toString(), a, b, totalsA.errorPercent(), totalsB.errorPercent(),
                        totalsA.requests(), totalsB.requests(), test);
            }
            case LATENCY -> {
                return means(metric, a, totalsA.latencyMillis(), b, totalsB.latencyMillis());
            }
            default -> {
                Moments ma = totalsA.signals().getOrDefault(metric.signal(), Moments.EMPTY);
                Moments mb = totalsB.signals().getOrDefault(metric.signal(), Moments.EMPTY);
                return means(metric, a, ma, b, mb);
            }
        }
    }

    private static VariantComparison means(ComparedMetric metric, String a, Moments ma, String b, Moments mb) {
        if (ma.count() < 2 || mb.count() < 2) {
            throw KeelException.invalid("comparing " + metric + " needs at least 2 samples per variant (variant '" + a
                    + "' has " + ma.count() + ", '" + b + "' has " + mb.count() + ")");
        }
        return new VariantComparison(metric.toString(), a, b, ma.mean(), mb.mean(), ma.count(), mb.count(),
                SignificanceTest.welch(ma, mb));
    }

    private static long requireSome(String variant, long requests) {
        if (requests < 1) {
            throw KeelException.invalid("variant '" + variant + "' has served no request here yet; nothing to compare");
        }
        return requests;
    }
}
