package dev.keel.registry;

import dev.keel.api.registry.ModelVersion;
import dev.keel.api.tracking.Run;
import dev.keel.api.tracking.TrackingService;
import dev.keel.core.Actor;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;

/** The run a model version was registered from, for drafts and checks that read its params and metrics. */
public final class SourceRun {
    private SourceRun() {
    }

    /** The version's source run; null when it has none or the run is gone (a version outlives its run). */
    public static Run of(TrackingService tracking, Actor actor, ModelVersion version) {
        if (version.runId() == null) {
            return null;
        }
        try {
            return tracking.getRun(actor, version.runId());
        } catch (KeelException e) {
            if (e.code() == ErrorCode.RESOURCE_DOES_NOT_EXIST) {
                return null;
            }
            throw e;
        }
    }
}
