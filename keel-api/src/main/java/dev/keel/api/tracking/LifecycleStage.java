package dev.keel.api.tracking;

/** Whether an experiment or run is live or in the bin (deleted ones can be restored). */
public enum LifecycleStage {
    ACTIVE, DELETED;

    /** MLflow's spelling: "active", "deleted". */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
