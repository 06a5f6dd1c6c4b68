package dev.keel.api.tracking;

/** A change to a run's status, end time or name; null fields stay as they are. */
public record RunUpdate(RunStatus status, Long endTime, String runName) {
    public RunUpdate {
        dev.keel.core.Checks.requireMaxLength("run_name", runName, Limits.MAX_RUN_NAME_LENGTH);
    }

    public static RunUpdate finished(long endTime) {
        return new RunUpdate(RunStatus.FINISHED, endTime, null);
    }
}
