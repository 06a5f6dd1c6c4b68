package dev.keel.api.tracking;

/** A run's state, as MLflow names it. */
public enum RunStatus {
    RUNNING, SCHEDULED, FINISHED, FAILED, KILLED;

    public boolean terminal() {
        return this == FINISHED || this == FAILED || this == KILLED;
    }
}
