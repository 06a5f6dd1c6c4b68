package dev.keel.tracking;

import dev.keel.core.Actor;
import dev.keel.core.Authorizer;
import dev.keel.core.Ids;
import dev.keel.core.Permission;
import dev.keel.core.Resource;
import dev.keel.store.AuditedStore;
import dev.keel.tracking.sql.JdbcTrackingStore;

/** Who may act on an experiment's data; a run's data is its experiment's, so a run is checked on its experiment. */
record TrackingAccess(Authorizer authorizer, AuditedStore<JdbcTrackingStore> store) {

    void requireOnExperiment(Actor actor, Permission permission, String experimentId) {
        authorizer.require(actor, permission, Resource.experiment(experimentId));
    }

    /** Checks the run id's shape, then {@code permission} on the run's experiment. */
    void requireOnRun(Actor actor, Permission permission, String runId) {
        Ids.requireRunId("run_id", runId);
        if (authorizer == Authorizer.ALLOW_ALL) {
            return; // authentication off: the tracking hot path pays no lookup
        }
        String experimentId = store.read(tables -> TrackingRules.existingRun(tables, runId)).experimentId();
        authorizer.require(actor, permission, Resource.experiment(experimentId));
    }
}
