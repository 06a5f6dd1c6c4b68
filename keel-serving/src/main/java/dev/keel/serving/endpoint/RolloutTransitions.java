package dev.keel.serving.endpoint;

import dev.keel.api.serving.Canary;
import dev.keel.api.serving.Endpoint;
import dev.keel.api.serving.GuardrailCheck;
import dev.keel.api.serving.RollbackReport;
import dev.keel.api.serving.Rollout;
import dev.keel.api.serving.RolloutEvent;
import dev.keel.api.serving.RolloutStatus;
import dev.keel.api.serving.Single;
import dev.keel.api.serving.TrafficPolicy;
import dev.keel.api.serving.Verdict;
import dev.keel.core.Actor;
import dev.keel.core.AuditAction;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import dev.keel.serving.rollout.AnalysisResult;

import java.time.Instant;
import java.util.List;

import static dev.keel.core.AuditLog.summary;

/**
 * The rules of a canary rollout's life, as pure functions from (endpoint, rollout) to the next
 * state: what each command and each analysis outcome does to the traffic and to the record.
 * Commands that do not fit the rollout's state are refused with 409.
 */
final class RolloutTransitions {
    private RolloutTransitions() {
    }

    static Transition advance(Endpoint endpoint, Rollout rollout, AnalysisResult analysis, Actor actor, Instant now) {
        Canary canary = canaryOf(endpoint);
        if (rollout.lastStep()) {
            Rollout done = rollout.then(rollout.step(), RolloutStatus.PROMOTED, "analysis passed at the last step",
                    rollout.stepStartedAt(), rollout.checkDueAt(), 0, now, null,
                    new RolloutEvent(now, actor.name(), "completed", 100, analysis.reason()));
            return new Transition(withPolicy(endpoint, new Single(rollout.canary()), now), done, AuditAction.ROLLOUT_COMPLETE,
                    summary("rollout", rollout.id(), "canary", rollout.canary(), "analysis", analysis.reason()));
        }
        int next = rollout.step() + 1;
        Canary stepped = canary.atStep(next);
        Rollout advanced = rollout.then(next, RolloutStatus.PROGRESSING, null, now, now.plus(rollout.analysis().interval()),
                0, null, null, new RolloutEvent(now, actor.name(), "advanced", stepped.weight(), analysis.reason()));
        return new Transition(withPolicy(endpoint, stepped, now), advanced, AuditAction.ROLLOUT_ADVANCE,
                summary("rollout", rollout.id(), "step", next, "canary_weight", stepped.weight(), "analysis",
                        analysis.reason()));
    }

    static Transition inconclusive(Rollout rollout, AnalysisResult analysis, boolean pause, Actor actor, Instant now) {
        int checks = rollout.inconclusiveChecks() + 1;
        String reason = pause ? "analysis inconclusive " + checks + " times in a row: " + analysis.reason() : null;
        Rollout next = rollout.then(rollout.step(), pause ? RolloutStatus.PAUSED : RolloutStatus.PROGRESSING, reason,
                rollout.stepStartedAt(), now.plus(rollout.analysis().interval()), checks, null, null,
                new RolloutEvent(now, actor.name(), pause ? "paused" : "inconclusive", rollout.canaryWeight(),
                        analysis.reason()));
        return new Transition(null, next, pause ? AuditAction.ROLLOUT_PAUSE : AuditAction.ROLLOUT_INCONCLUSIVE,
                summary("rollout", rollout.id(), "checks", checks, "analysis", analysis.reason()));
    }

    static Transition rollBack(Endpoint endpoint, Rollout rollout, AnalysisResult analysis, Instant detectedAt,
                               Actor actor, Instant now) {
        List<GuardrailCheck> breaches = analysis.checks().stream()
                .filter(check -> check.verdict() == Verdict.FAIL).toList();
        Instant firstBreach = analysis.firstBreachAt() == null ? detectedAt : analysis.firstBreachAt();
        // breach times are known to a statistics bucket (a second); the bucket may have begun before this step
        // did, but the evidence, which the analysis takes from the step's start on, cannot have
        if (firstBreach.isBefore(rollout.stepStartedAt())) {
            firstBreach = rollout.stepStartedAt();
        }
        RollbackReport report = new RollbackReport(analysis.reason(), breaches, rollout.canaryWeight(), firstBreach,
                detectedAt, now);
        Rollout next = rollout.then(rollout.step(), RolloutStatus.ROLLED_BACK, "guardrail breached: " + analysis.reason(),
                rollout.stepStartedAt(), rollout.checkDueAt(), rollout.inconclusiveChecks(), now, report,
                new RolloutEvent(now, actor.name(), "rolled_back", 0, analysis.reason()));
        return new Transition(withPolicy(endpoint, new Single(rollout.stable()), now), next, AuditAction.ROLLOUT_ROLLBACK,
                summary("rollout", rollout.id(), "stable", rollout.stable(), "reason", analysis.reason(),
                        "breach_to_rollback_ms", report.breachToRollback().toMillis()));
    }

    static Transition promote(Endpoint endpoint, Rollout rollout, Actor actor, Instant now) {
        Rollout next = rollout.then(rollout.step(), RolloutStatus.PROMOTED, "promoted by " + actor.name(),
                rollout.stepStartedAt(), rollout.checkDueAt(), rollout.inconclusiveChecks(), now, null,
                new RolloutEvent(now, actor.name(), "promoted", 100, null));
        return new Transition(withPolicy(endpoint, new Single(rollout.canary()), now), next, AuditAction.ROLLOUT_PROMOTE,
                summary("rollout", rollout.id(), "canary", rollout.canary(), "from_weight", rollout.canaryWeight()));
    }

    static Transition abort(Endpoint endpoint, Rollout rollout, String reason, Actor actor, Instant now) {
        String why = reason == null || reason.isBlank() ? "aborted by " + actor.name() : reason;
        Rollout next = rollout.then(rollout.step(), RolloutStatus.ABORTED, why, rollout.stepStartedAt(),
                rollout.checkDueAt(), rollout.inconclusiveChecks(), now, null,
                new RolloutEvent(now, actor.name(), "aborted", 0, why));
        return new Transition(withPolicy(endpoint, new Single(rollout.stable()), now), next, AuditAction.ROLLOUT_ABORT,
                summary("rollout", rollout.id(), "stable", rollout.stable(), "reason", why));
    }

    static Transition pause(Rollout rollout, String reason, Actor actor, Instant now) {
        if (rollout.status() != RolloutStatus.PROGRESSING) {
            throw conflict(rollout, "is already paused");
        }
        String why = reason == null || reason.isBlank() ? "paused by " + actor.name() : reason;
        Rollout next = rollout.then(rollout.step(), RolloutStatus.PAUSED, why, rollout.stepStartedAt(),
                rollout.checkDueAt(), rollout.inconclusiveChecks(), null, null,
                new RolloutEvent(now, actor.name(), "paused", rollout.canaryWeight(), why));
        return new Transition(null, next, AuditAction.ROLLOUT_PAUSE, summary("rollout", rollout.id(), "reason", why));
    }

    /** A resumed step is analysed afresh: the evidence that was missing must come from traffic after the person looked. */
    static Transition resume(Rollout rollout, Actor actor, Instant now) {
        if (rollout.status() != RolloutStatus.PAUSED) {
            throw conflict(rollout, "is not paused");
        }
        Rollout next = rollout.then(rollout.step(), RolloutStatus.PROGRESSING, null, now,
                now.plus(rollout.analysis().interval()), 0, null, null,
                new RolloutEvent(now, actor.name(), "resumed", rollout.canaryWeight(), null));
        return new Transition(null, next, AuditAction.ROLLOUT_RESUME, summary("rollout", rollout.id()));
    }

    private static Canary canaryOf(Endpoint endpoint) {
        if (endpoint.policy() instanceof Canary canary) {
            return canary;
        }
        throw new KeelException(ErrorCode.RESOURCE_CONFLICT, "endpoint '" + endpoint.name()
                + "' is no longer in a canary policy");
    }

    private static Endpoint withPolicy(Endpoint endpoint, TrafficPolicy policy, Instant now) {
        return endpoint.changed(endpoint.variants(), policy, endpoint.shadow(), now);
    }

    private static KeelException conflict(Rollout rollout, String what) {
        return new KeelException(ErrorCode.RESOURCE_CONFLICT, "the rollout of endpoint '" + rollout.endpoint() + "' "
                + what + " (it is " + rollout.status().name().toLowerCase() + ")");
    }
}
