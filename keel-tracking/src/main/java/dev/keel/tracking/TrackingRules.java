package dev.keel.tracking;

import dev.keel.api.tracking.Experiment;
import dev.keel.api.tracking.LifecycleStage;
import dev.keel.api.tracking.Param;
import dev.keel.api.tracking.RunInfo;
import dev.keel.core.Ids;
import dev.keel.core.KeelException;
import dev.keel.tracking.sql.JdbcTrackingStore;

import java.sql.SQLException;

/** The rules every tracking call shares: what an id must look like, what must exist and be active, and the refusals' words. */
final class TrackingRules {
    /** The tag MLflow keeps equal to a run's name. */
    static final String RUN_NAME_TAG = "mlflow.runName";

    private TrackingRules() {
    }

    static long experimentId(String experimentId) {
        Ids.requireExperimentId("experiment_id", experimentId);
        return Long.parseLong(experimentId);
    }

    static Experiment existing(JdbcTrackingStore store, String experimentId, long id) throws SQLException {
        return store.experiment(id).orElseThrow(() -> noExperiment(experimentId));
    }

    static void requireActive(Experiment experiment, String verb) {
        if (experiment.lifecycleStage() != LifecycleStage.ACTIVE) {
            throw KeelException.invalid("experiment '" + experiment.experimentId() + "' is deleted; only an active "
                    + "experiment can be " + verb);
        }
    }

    static RunInfo existingRun(JdbcTrackingStore store, String runId) throws SQLException {
        return store.runInfo(runId).orElseThrow(() -> noRun(runId));
    }

    static void requireActive(RunInfo run) {
        if (run.lifecycleStage() != LifecycleStage.ACTIVE) {
            throw deletedRun(run.runId());
        }
    }

    static void requireActiveRun(JdbcTrackingStore store, String runId) throws SQLException {
        if (store.runStage(runId).orElseThrow(() -> noRun(runId)) != LifecycleStage.ACTIVE) {
            throw deletedRun(runId);
        }
    }

    static KeelException noRun(String runId) {
        return KeelException.notFound("run '" + runId + "' does not exist");
    }

    static KeelException noExperiment(String experimentId) {
        return KeelException.notFound("experiment '" + experimentId + "' does not exist");
    }

    static KeelException paramChanged(Param param, String stored) {
        return KeelException.invalid("param '" + param.key() + "' was logged as '" + stored
                + "'; a param cannot change (got '" + param.value() + "')");
    }

    private static KeelException deletedRun(String runId) {
        return KeelException.invalid("run '" + runId + "' is deleted; it must be active to change it");
    }

    /** The audit resource of an experiment. */
    static String experiment(String experimentId) {
        return "experiment/" + experimentId;
    }

    /** The audit resource of a run. */
    static String run(String runId) {
        return "run/" + runId;
    }
}
