package dev.keel.serving.rollout;

import dev.keel.api.serving.Rollout;
import dev.keel.api.serving.RolloutStatus;
import dev.keel.api.serving.Verdict;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Moves canary rollouts along. Each {@link #tick} analyses every rollout in flight over the
 * canary's recent traffic: a breach rolls back at once, whatever the step's age; when a step's
 * analysis falls due, a pass advances it and too little evidence counts towards pausing for a
 * person. Ticks come from a {@link RolloutScheduler} (or from a test, after moving its clock).
 *
 * <p>The analysis window is the step's last {@code interval}, never reaching before the step
 * began nor past what the statistics keep.
 */
public final class RolloutController {
    private static final Logger log = LoggerFactory.getLogger(RolloutController.class);

    private final CanaryRollouts rollouts;
    private final TrafficStatistics statistics;
    private final Analysis analysis;
    private final Clock clock;

    public RolloutController(CanaryRollouts rollouts, TrafficStatistics statistics, ModelSignals signals, Clock clock) {
        this.rollouts = rollouts;
        this.statistics = statistics;
        this.analysis = new Analysis(signals);
        this.clock = clock;
    }

    /** One round over every rollout in flight; what it did to each. */
    public List<RolloutDecision> tick() {
        List<RolloutDecision> decisions = new ArrayList<>();
        for (Rollout rollout : rollouts.active()) {
            decisions.add(decide(rollout));
        }
        return decisions;
    }

    private RolloutDecision decide(Rollout rollout) {
        Instant now = clock.instant();
        AnalysisResult result = analyse(rollout, now);
        try {
            RolloutDecision.Action action = act(rollout, result, now);
            return new RolloutDecision(rollout.endpoint(), rollout.id(), action, result);
        } catch (KeelException e) {
            if (e.code() == ErrorCode.RESOURCE_CONFLICT || e.code() == ErrorCode.RESOURCE_DOES_NOT_EXIST) {
                return new RolloutDecision(rollout.endpoint(), rollout.id(), RolloutDecision.Action.SUPERSEDED, result);
            }
            log.warn("rollout {} of endpoint '{}': {}", rollout.id(), rollout.endpoint(), e.getMessage());
            return new RolloutDecision(rollout.endpoint(), rollout.id(), RolloutDecision.Action.ERROR, result);
        } catch (RuntimeException e) {
            log.warn("rollout {} of endpoint '{}' failed; it is tried again next tick", rollout.id(), rollout.endpoint(), e);
            return new RolloutDecision(rollout.endpoint(), rollout.id(), RolloutDecision.Action.ERROR, result);
        }
    }

    private RolloutDecision.Action act(Rollout rollout, AnalysisResult result, Instant now) {
        if (result.verdict() == Verdict.FAIL) {
            rollouts.rollBack(rollout, result, now);
            return RolloutDecision.Action.ROLLED_BACK;
        }
        if (rollout.status() != RolloutStatus.PROGRESSING || now.isBefore(rollout.checkDueAt())) {
            return RolloutDecision.Action.WAIT;
        }
        if (result.verdict() == Verdict.PASS) {
            boolean last = rollout.lastStep();
            rollouts.advance(rollout, result);
            return last ? RolloutDecision.Action.COMPLETED : RolloutDecision.Action.ADVANCED;
        }
        boolean pause = rollout.inconclusiveChecks() + 1 >= rollout.analysis().inconclusiveLimit();
        rollouts.inconclusive(rollout, result, pause);
        return pause ? RolloutDecision.Action.PAUSED : RolloutDecision.Action.INCONCLUSIVE;
    }

    /** The canary's traffic over the step's last interval, against its guardrails. */
    public AnalysisResult analyse(Rollout rollout, Instant now) {
        Duration reach = rollout.analysis().interval();
        if (reach.compareTo(statistics.span()) > 0) {
            reach = statistics.span();
        }
        Instant from = now.minus(reach);
        if (from.isBefore(rollout.stepStartedAt())) {
            from = rollout.stepStartedAt();
        }
        Window window = statistics.variant(rollout.endpoint(), rollout.canary()).window(from, now);
        return analysis.evaluate(rollout.analysis(), rollout.endpoint(), rollout.canary(), window);
    }
}
