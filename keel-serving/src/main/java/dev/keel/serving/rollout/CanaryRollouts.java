package dev.keel.serving.rollout;

import dev.keel.api.serving.Rollout;
import java.time.Instant;
import java.util.List;

/**
 * What the {@link RolloutController} drives: the rollouts in flight and the three things it
 * may do to one. Each change is written with its audit event and names the rollout's revision
 * it decided on; when a person changed the rollout in between, the change is refused with
 * RESOURCE_CONFLICT and the controller looks again on its next tick.
 */
public interface CanaryRollouts {

    /** Every rollout progressing or paused, on every endpoint. */
    List<Rollout> active();

    /** The analysis passed: the next step, or the canary takes everything after the last step. */
    Rollout advance(Rollout rollout, AnalysisResult analysis);

    /** The analysis had too little evidence: count it, and pause for a person when {@code pause}. */
    Rollout inconclusive(Rollout rollout, AnalysisResult analysis, boolean pause);

    /** A guardrail was breached: all traffic back to stable, and the report of why and how fast. */
    Rollout rollBack(Rollout rollout, AnalysisResult analysis, Instant detectedAt);
}
