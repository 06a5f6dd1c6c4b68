package dev.keel.serving.rollout;

import dev.keel.api.serving.CanaryAnalysis;
import dev.keel.api.serving.GuardrailCheck;
import dev.keel.api.serving.Guardrails;
import dev.keel.api.serving.Moments;
import dev.keel.api.serving.SignalGuardrail;
import dev.keel.api.serving.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Checks a canary's window against its guardrails. Any breach fails the analysis; otherwise
 * any guardrail without enough evidence makes it inconclusive; otherwise it passes.
 *
 * <p>Below the minimum sample size a guardrail still fails when its breach is already certain:
 * when the errors (or slow requests) seen so far would breach the bound even if every request
 * still needed to reach the minimum went well. A canary failing every request is rolled back
 * after a handful of requests, not after hundreds.
 */
public final class Analysis {
    private static final double P99 = 0.99;

    private final ModelSignals signals;

    public Analysis(ModelSignals signals) {
        this.signals = signals;
    }

    public AnalysisResult evaluate(CanaryAnalysis plan, String endpoint, String variant, Window window) {
        Guardrails guardrails = plan.guardrails();
        long minSamples = plan.minSamples();
        List<GuardrailCheck> checks = new ArrayList<>();
        if (guardrails.maxErrorPercent() != null) {
            checks.add(errorRate(guardrails.maxErrorPercent(), minSamples, window));
        }
        if (guardrails.maxP99Latency() != null) {
            checks.add(latency(guardrails.maxP99Latency(), minSamples, window));
        }
        for (SignalGuardrail guardrail : guardrails.signals()) {
            checks.add(signal(guardrail, endpoint, variant, window));
        }
        Verdict verdict = Verdict.PASS;
        for (GuardrailCheck check : checks) {
            if (check.verdict() == Verdict.FAIL) {
                verdict = Verdict.FAIL;
                break;
            }
            if (check.verdict() == Verdict.INCONCLUSIVE) {
                verdict = Verdict.INCONCLUSIVE;
            }
        }
        return new AnalysisResult(verdict, window.requests(), checks);
    }

    private static GuardrailCheck errorRate(double maxPercent, long minSamples, Window window) {
        long n = window.requests();
        long errors = window.errors();
        boolean breached = n >= minSamples
                ? 100.0 * errors / n > maxPercent
                : errors > maxPercent / 100.0 * minSamples;
        Verdict verdict = breached ? Verdict.FAIL : n >= minSamples ? Verdict.PASS : Verdict.INCONCLUSIVE;
        Instant since = breached ? lastRunStart(window, bucket -> bucket.errors() > 0
                && 100.0 * bucket.errors() / bucket.requests() > maxPercent) : null;
        return new GuardrailCheck("error_rate", n == 0 ? Double.NaN : window.errorPercent(), maxPercent, n, verdict, since);
    }

    private static GuardrailCheck latency(Duration bound, long minSamples, Window window) {
        long n = window.requests();
        boolean breached;
        if (n >= minSamples) {
            breached = window.latency().percentile(P99).compareTo(bound) > 0;
        } else {
            long allowedSlow = minSamples - (long) Math.ceil(P99 * minSamples);
            breached = window.latency().countReachingPast(bound) > allowedSlow;
        }
        Verdict verdict = breached ? Verdict.FAIL : n >= minSamples ? Verdict.PASS : Verdict.INCONCLUSIVE;
        Instant since = breached ? lastRunStart(window, bucket -> bucket.requests() > 0
                && bucket.latency().percentile(P99).compareTo(bound) > 0) : null;
        return new GuardrailCheck("p99_latency", n == 0 ? Double.NaN : millis(window.latency().percentile(P99)),
                millis(bound), n, verdict, since);
    }

    private GuardrailCheck signal(SignalGuardrail guardrail, String endpoint, String variant, Window window) {
        String name = "signal:" + guardrail.signal();
        Optional<SignalReading> external = signals.read(endpoint, variant, guardrail.signal(), window.from(), window.to());
        SignalReading reading = external.orElseGet(() -> {
            Moments moments = window.signals().get(guardrail.signal());
            return moments == null ? new SignalReading(Double.NaN, 0) : new SignalReading(moments.mean(), moments.count());
        });
        if (reading.samples() < guardrail.minSamples() || !Double.isFinite(reading.value())) {
            return new GuardrailCheck(name, reading.value(), guardrail.threshold(), reading.samples(), Verdict.INCONCLUSIVE,
                    null);
        }
        boolean breached = guardrail.breachedBy(reading.value());
        Instant since = null;
        if (breached && external.isEmpty()) {
            since = lastRunStart(window, bucket -> {
                Moments moments = bucket.signals().get(guardrail.signal());
                return moments != null && moments.count() > 0 && guardrail.breachedBy(moments.mean());
            });
        }
        return new GuardrailCheck(name, reading.value(), guardrail.threshold(), reading.samples(),
                breached ? Verdict.FAIL : Verdict.PASS, since);
    }

    /**
     * The start of the last unbroken run of buckets that breach on their own, skipping buckets
     * without traffic: when a steady breach began, unmoved by an isolated bad slice earlier on.
     */
    private static Instant lastRunStart(Window window, Predicate<WindowBucket> breaches) {
        Instant start = null;
        List<WindowBucket> buckets = window.buckets();
        for (int i = buckets.size() - 1; i >= 0; i--) {
            WindowBucket bucket = buckets.get(i);
            if (bucket.requests() == 0 && bucket.signals().isEmpty()) {
                continue;
            }
            if (breaches.test(bucket)) {
                start = bucket.start();
            } else if (start != null) {
                break;
            }
        }
        return start;
    }

    private static double millis(Duration duration) {
        return duration.toNanos() / 1e6;
    }
}
