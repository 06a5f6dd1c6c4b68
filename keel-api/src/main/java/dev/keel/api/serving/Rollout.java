package dev.keel.api.serving;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One canary rollout of an endpoint: its plan, where it stands, and everything that happened
 * to it. The rollout's current step is also in the endpoint's canary policy, which the router
 * follows; both are written in one transaction.
 *
 * @param canaryModel     the model URI the canary variant served when the rollout started
 * @param stepStartedAt   when the current step began: its analysis looks at traffic from then on
 * @param checkDueAt      when the analysis next decides whether to advance
 * @param inconclusiveChecks checks in a row at this step without enough evidence
 * @param revision        goes up with every change, so the controller and a person never both act on one state
 * @param rollback        why and how fast it was rolled back; null unless {@link RolloutStatus#ROLLED_BACK}
 */
public record Rollout(long id, String endpoint, String stable, String canary, String canaryModel, List<Double> steps,
                      CanaryAnalysis analysis, int step, RolloutStatus status, String reason, Instant startedAt,
                      Instant stepStartedAt, Instant checkDueAt, int inconclusiveChecks, Instant endedAt, long revision,
                      List<RolloutEvent> history, RollbackReport rollback) {
    public Rollout {
        steps = List.copyOf(steps);
        history = List.copyOf(history);
    }

    /** The canary's share of live traffic now, in percent. */
    public double canaryWeight() {
        if (status.active()) {
            return steps.get(step);
        }
        return status == RolloutStatus.PROMOTED ? 100 : 0;
    }

    public boolean lastStep() {
        return step == steps.size() - 1;
    }

    /** The rollout after one more change: the next revision, with {@code event} added to its history. */
    public Rollout then(int nextStep, RolloutStatus nextStatus, String nextReason, Instant nextStepStartedAt,
                        Instant nextCheckDueAt, int nextInconclusiveChecks, Instant nextEndedAt, RollbackReport report,
                        RolloutEvent event) {
        List<RolloutEvent> nextHistory = new ArrayList<>(history);
        nextHistory.add(event);
        return new Rollout(id, endpoint, stable, canary, canaryModel, steps, analysis, nextStep, nextStatus, nextReason,
                startedAt, nextStepStartedAt, nextCheckDueAt, nextInconclusiveChecks, nextEndedAt, revision + 1,
                nextHistory, report);
    }
}
