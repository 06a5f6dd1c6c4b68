package dev.keel.api.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.keel.api.http.EndpointBodies.VariantBody;
import dev.keel.api.serving.CanaryAnalysis;
import dev.keel.api.serving.CanaryStart;
import dev.keel.api.serving.GuardrailCheck;
import dev.keel.api.serving.Guardrails;
import dev.keel.api.serving.Moments;
import dev.keel.api.serving.RollbackReport;
import dev.keel.api.serving.Rollout;
import dev.keel.api.serving.RolloutEvent;
import dev.keel.api.serving.RolloutStatus;
import dev.keel.api.serving.SignalGuardrail;
import dev.keel.api.serving.Totals;
import dev.keel.api.serving.Verdict;
import dev.keel.core.KeelException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The wire shapes of canary rollouts: the analysis and guardrails a rollout starts with, the
 * rollout as answered with its history and rollback report, and each variant's traffic totals.
 * Times are epoch milliseconds ({@code *_time}), durations milliseconds ({@code *_ms}); values
 * the domain derives (a rollout's canary weight, a rollback's durations, an error percentage)
 * are answered for readers and derived again when read back.
 */
public final class RolloutBodies {
    private RolloutBodies() {
    }

    /** A model-level guardrail: {@code bound} is at_most or at_least. */
    public record SignalBody(String signal, String bound, Double threshold, Long minSamples) {
        public static SignalBody of(SignalGuardrail guardrail) {
            return new SignalBody(guardrail.signal(), guardrail.bound().name().toLowerCase(Locale.ROOT),
                    guardrail.threshold(), guardrail.minSamples());
        }

        public SignalGuardrail toGuardrail(String field) {
            if (bound == null || threshold == null) {
                throw KeelException.invalid("'" + field + "' needs 'bound' (at_most or at_least) and 'threshold'");
            }
            SignalGuardrail.Bound parsed = switch (bound.toLowerCase(Locale.ROOT)) {
                case "at_most" -> SignalGuardrail.Bound.AT_MOST;
                case "at_least" -> SignalGuardrail.Bound.AT_LEAST;
                default -> throw KeelException.invalid("'" + field + ".bound' must be at_most or at_least (got '"
                        + WireValues.abbreviate(bound) + "')");
            };
            return new SignalGuardrail(signal, parsed, threshold, minSamples == null ? 1 : minSamples);
        }
    }

    /** What a canary must keep: at least one of the three is set. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record GuardrailsBody(Double maxErrorPercent, Long maxP99LatencyMs, List<SignalBody> signals) {
        public static GuardrailsBody of(Guardrails guardrails) {
            return new GuardrailsBody(guardrails.maxErrorPercent(), guardrails.maxP99Latency() == null ? null
                    : guardrails.maxP99Latency().toMillis(), guardrails.signals().stream().map(SignalBody::of).toList());
        }

        public Guardrails toGuardrails() {
            List<SignalGuardrail> parsed = new ArrayList<>();
            if (signals != null) {
                if (signals.size() > Guardrails.MAX_SIGNALS) {
                    throw KeelException.invalid("'analysis.guardrails.signals' may hold at most " + Guardrails.MAX_SIGNALS
                            + " guardrails (got " + signals.size() + ")");
                }
                for (int i = 0; i < signals.size(); i++) {
                    String field = "analysis.guardrails.signals[" + i + "]";
                    if (signals.get(i) == null) {
                        throw KeelException.invalid("'" + field + "' must be a guardrail, not null");
                    }
                    parsed.add(signals.get(i).toGuardrail(field));
                }
            }
            return new Guardrails(maxErrorPercent, maxP99LatencyMs == null ? null
                    : WireValues.requirePositiveMillis("analysis.guardrails.max_p99_latency_ms", maxP99LatencyMs), parsed);
        }
    }

    /**
     * The analysis between canary steps: each step lasts {@code interval_ms}, needs
     * {@code min_samples} requests as evidence, and pauses after {@code inconclusive_limit}
     * checks without enough.
     */
    public record AnalysisBody(Long intervalMs, Long minSamples, Integer inconclusiveLimit, GuardrailsBody guardrails) {
        public static AnalysisBody of(CanaryAnalysis analysis) {
            return new AnalysisBody(analysis.interval().toMillis(), analysis.minSamples(), analysis.inconclusiveLimit(),
                    GuardrailsBody.of(analysis.guardrails()));
        }

        public CanaryAnalysis toAnalysis() {
            if (guardrails == null) {
                throw KeelException.invalid("missing value for required parameter 'analysis.guardrails'");
            }
            return new CanaryAnalysis(intervalMs == null ? Duration.ofMinutes(1)
                    : WireValues.requirePositiveMillis("analysis.interval_ms", intervalMs),
                    minSamples == null ? 100 : minSamples, inconclusiveLimit == null ? 3 : inconclusiveLimit,
                    guardrails.toGuardrails());
        }
    }

    /** {@code POST /api/v1/endpoints/{name}/canary}: the canary variant, its weight steps and the analysis. */
    public record CanaryStartBody(VariantBody variant, List<Double> steps, AnalysisBody analysis) {
        public static CanaryStartBody of(CanaryStart request) {
            return new CanaryStartBody(VariantBody.of(request.canary()), request.steps(), AnalysisBody.of(request.analysis()));
        }

        public CanaryStart toRequest() {
            if (variant == null) {
                throw KeelException.invalid("missing value for required parameter 'variant'");
            }
            if (analysis == null) {
                throw KeelException.invalid("missing value for required parameter 'analysis'");
            }
            return new CanaryStart(variant.toVariant("variant"), steps, analysis.toAnalysis());
        }
    }

    /** Why a rollout is aborted or paused. */
    public record ReasonBody(String reason) {
    }

    public record RolloutEventBody(long time, String actor, String kind, double canaryWeight, String detail) {
        static RolloutEventBody of(RolloutEvent event) {
            return new RolloutEventBody(event.at().toEpochMilli(), event.actor(), event.kind(), event.canaryWeight(),
                    event.detail());
        }

        RolloutEvent toEvent() {
            return new RolloutEvent(Instant.ofEpochMilli(time), actor, kind, canaryWeight, detail);
        }
    }

    public record GuardrailCheckBody(String guardrail, double observed, double bound, long samples, Verdict verdict,
                                     Long firstBreachTime) {
        static GuardrailCheckBody of(GuardrailCheck check) {
            return new GuardrailCheckBody(check.guardrail(), check.observed(), check.bound(), check.samples(),
                    check.verdict(), WireValues.millis(check.firstBreachAt()));
        }

        GuardrailCheck toCheck() {
            return new GuardrailCheck(guardrail, observed, bound, samples, verdict, WireValues.instant(firstBreachTime));
        }
    }

    /** Why and how fast a canary was rolled back; {@code breach_to_rollback_ms} is the headline number. */
    public record RollbackBody(String reason, List<GuardrailCheckBody> breaches, double canaryWeight, long firstBreachTime,
                               long detectedTime, long rolledBackTime, long breachToRollbackMs,
                               long detectionToRollbackMs) {
        static RollbackBody of(RollbackReport report) {
            return report == null ? null : new RollbackBody(report.reason(),
                    report.breaches().stream().map(GuardrailCheckBody::of).toList(), report.canaryWeight(),
                    report.firstBreachAt().toEpochMilli(), report.detectedAt().toEpochMilli(),
                    report.rolledBackAt().toEpochMilli(), report.breachToRollback().toMillis(),
                    report.detectionToRollback().toMillis());
        }

        /** The report; the two durations are derived from the three times. */
        RollbackReport toReport() {
            return new RollbackReport(reason, breaches.stream().map(GuardrailCheckBody::toCheck).toList(), canaryWeight,
                    Instant.ofEpochMilli(firstBreachTime), Instant.ofEpochMilli(detectedTime),
                    Instant.ofEpochMilli(rolledBackTime));
        }
    }

    /** A rollout as answered, with its history and any rollback report. */
    public record RolloutBody(long id, String endpoint, String stable, String canary, String canaryModel, List<Double> steps,
                              AnalysisBody analysis, int step, double canaryWeight, RolloutStatus status, String reason,
                              long startedTime, long stepStartedTime, Long checkDueTime, int inconclusiveChecks,
                              Long endedTime, long revision, List<RolloutEventBody> history, RollbackBody rollback) {
        public static RolloutBody of(Rollout rollout) {
            return new RolloutBody(rollout.id(), rollout.endpoint(), rollout.stable(), rollout.canary(),
                    rollout.canaryModel(), rollout.steps(), AnalysisBody.of(rollout.analysis()), rollout.step(),
                    rollout.canaryWeight(), rollout.status(), rollout.reason(), rollout.startedAt().toEpochMilli(),
                    rollout.stepStartedAt().toEpochMilli(), WireValues.millis(rollout.checkDueAt()), rollout.inconclusiveChecks(),
                    WireValues.millis(rollout.endedAt()), rollout.revision(),
                    rollout.history().stream().map(RolloutEventBody::of).toList(), RollbackBody.of(rollout.rollback()));
        }

        /** The rollout; its canary weight is derived from its step and status. */
        public Rollout toRollout() {
            return new Rollout(id, endpoint, stable, canary, canaryModel, steps, analysis.toAnalysis(), step, status,
                    reason, Instant.ofEpochMilli(startedTime), Instant.ofEpochMilli(stepStartedTime),
                    WireValues.instant(checkDueTime), inconclusiveChecks, WireValues.instant(endedTime), revision,
                    history.stream().map(RolloutEventBody::toEvent).toList(), rollback == null ? null : rollback.toReport());
        }
    }

    /** {@code GET /api/v1/endpoints/{name}/rollouts}: newest first. */
    public record RolloutList(List<RolloutBody> rollouts) {
        public static RolloutList of(List<Rollout> rollouts) {
            return new RolloutList(rollouts.stream().map(RolloutBody::of).toList());
        }

        public List<Rollout> toRollouts() {
            return rollouts.stream().map(RolloutBody::toRollout).toList();
        }
    }

    /** One variant's traffic in the answering process since {@code since_time}; latency in milliseconds. */
    public record TotalsBody(long sinceTime, long requests, long errors, double errorPercent, Moments latencyMs,
                             Map<String, Moments> signals) {
        public static TotalsBody of(Totals totals) {
            return new TotalsBody(totals.since().toEpochMilli(), totals.requests(), totals.errors(), totals.errorPercent(),
                    totals.latencyMillis(), totals.signals());
        }

        /** The totals; the error percentage is derived from the counts. */
        Totals toTotals() {
            return new Totals(Instant.ofEpochMilli(sinceTime), requests, errors, latencyMs, signals == null ? Map.of() : signals);
        }
    }

    /** {@code GET /api/v1/endpoints/{name}/totals}: by variant name. */
    public record TotalsList(Map<String, TotalsBody> variants) {
        public static TotalsList of(Map<String, Totals> totals) {
            Map<String, TotalsBody> variants = new LinkedHashMap<>();
            totals.forEach((variant, value) -> variants.put(variant, TotalsBody.of(value)));
            return new TotalsList(variants);
        }

        public Map<String, Totals> toTotals() {
            Map<String, Totals> totals = new LinkedHashMap<>();
            variants.forEach((variant, body) -> totals.put(variant, body.toTotals()));
            return totals;
        }
    }
}
