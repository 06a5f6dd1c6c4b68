package dev.keel.api.serving;

/** Where a canary rollout stands. */
public enum RolloutStatus {
    /** Steps advance as the analysis passes. */
    PROGRESSING,
    /** Held at its current weight for a person (by command, or after inconclusive analysis); guardrails stay armed. */
    PAUSED,
    /** The canary took all the traffic. */
    PROMOTED,
    /** A person sent all the traffic back to stable. */
    ABORTED,
    /** A guardrail breach sent all the traffic back to stable. */
    ROLLED_BACK;

    /** Whether the rollout still holds the endpoint in a canary policy. */
    public boolean active() {
        return this == PROGRESSING || this == PAUSED;
    }
}
