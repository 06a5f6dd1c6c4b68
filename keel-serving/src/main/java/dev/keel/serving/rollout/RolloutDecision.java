package dev.keel.serving.rollout;

/** What one controller tick did to one rollout, with the analysis it acted on. */
public record RolloutDecision(String endpoint, long rolloutId, Action action, AnalysisResult analysis) {
    public enum Action {
        /** Nothing due yet (or paused and within its guardrails). */
        WAIT,
        ADVANCED,
        /** Past the last step: the canary took all the traffic. */
        COMPLETED,
        INCONCLUSIVE,
        /** Inconclusive too many times in a row: held for a person. */
        PAUSED,
        ROLLED_BACK,
        /** A person changed the rollout while it was being analysed; it is looked at again next tick. */
        SUPERSEDED,
        /** Acting on it failed (logged); it is tried again next tick. */
        ERROR
    }
}
