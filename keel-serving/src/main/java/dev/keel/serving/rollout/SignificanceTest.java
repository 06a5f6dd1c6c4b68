package dev.keel.serving.rollout;

import dev.keel.api.serving.ComparedMetric;
import dev.keel.api.serving.Moments;
import dev.keel.api.serving.Significance;
import dev.keel.api.serving.Totals;
import dev.keel.api.serving.VariantComparison;
import dev.keel.core.KeelException;
import org.apache.commons.statistics.distribution.NormalDistribution;
import org.apache.commons.statistics.inference.DataDispersion;
import org.apache.commons.statistics.inference.TTest;

/**
 * The two tests an A/B comparison needs, two-sided: the pooled two-proportion z-test for rates
 * (errors, conversions) and Welch's t-test for numeric metrics whose variances differ between
 * variants (latency, a score). The distributions come from Apache Commons Statistics; only the
 * z statistic, one line of arithmetic, is computed here (Commons has no two-proportion test; its
 * 2x2 chi-square test is the same test squared and agrees, see the tests).
 */
public final class SignificanceTest {
    private static final NormalDistribution STANDARD_NORMAL = NormalDistribution.of(0, 1);
    private static final TTest WELCH = TTest.withDefaults().with(DataDispersion.HETEROSCEDASTIC);

    private SignificanceTest() {
    }

    /** Two variants side by side on {@code metric}: rates through the two-proportion z-test, means through Welch's t-test. */
    public static VariantComparison compare(ComparedMetric metric, String a, Totals totalsA, String b, Totals totalsB) {
        switch (metric.kind()) {
            case ERROR_RATE -> {
                Significance test = twoProportion(totalsA.errors(), requireSome(a, totalsA.requests()),
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
                welch(ma, mb));
    }

    private static long requireSome(String variant, long requests) {
        if (requests < 1) {
            throw KeelException.invalid("variant '" + variant + "' has served no request here yet; nothing to compare");
        }
        return requests;
    }

    /** Whether the proportions {@code x1/n1} and {@code x2/n2} differ. */
    public static Significance twoProportion(long x1, long n1, long x2, long n2) {
        requireCounts("a", x1, n1);
        requireCounts("b", x2, n2);
        double p1 = (double) x1 / n1;
        double p2 = (double) x2 / n2;
        double pooled = (double) (x1 + x2) / (n1 + n2);
        double standardError = Math.sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2));
        if (standardError == 0) {
            // both all-or-nothing alike: no difference to find
            return new Significance("two-proportion z-test", 0, 1, Double.NaN);
        }
        double z = (p1 - p2) / standardError;
        double p = 2 * STANDARD_NORMAL.survivalProbability(Math.abs(z));
        return new Significance("two-proportion z-test", z, Math.min(1, p), Double.NaN);
    }

    /** Whether the means of two samples, given by their moments, differ (Welch's t-test). */
    public static Significance welch(Moments a, Moments b) {
        return welch(a.mean(), a.variance(), a.count(), b.mean(), b.variance(), b.count());
    }

    public static Significance welch(double mean1, double variance1, long n1, double mean2, double variance2, long n2) {
        if (n1 < 2 || n2 < 2) {
            throw KeelException.invalid("Welch's t-test needs at least 2 samples per variant (got " + n1 + " and " + n2 + ")");
        }
        if (!Double.isFinite(mean1) || !Double.isFinite(mean2) || !(variance1 >= 0) || !(variance2 >= 0)
                || !Double.isFinite(variance1) || !Double.isFinite(variance2)) {
            throw KeelException.invalid("Welch's t-test needs finite means and variances");
        }
        if (variance1 == 0 && variance2 == 0) {
            // no spread at all: the t statistic is undefined; equal means are no difference, unequal ones are certain
            return new Significance("Welch's t-test", mean1 == mean2 ? 0 : Math.copySign(Double.POSITIVE_INFINITY,
                    mean1 - mean2), mean1 == mean2 ? 1 : 0, Double.NaN);
        }
        TTest.Result result = WELCH.test(mean1, variance1, n1, mean2, variance2, n2);
        return new Significance("Welch's t-test", result.getStatistic(), result.getPValue(), result.getDegreesOfFreedom());
    }

    private static void requireCounts(String which, long successes, long n) {
        if (n < 1 || successes < 0 || successes > n) {
            throw KeelException.invalid("the two-proportion z-test needs 0 <= successes <= n and n >= 1 for variant "
                    + which + " (got " + successes + " of " + n + ")");
        }
    }
}
