package dev.keel.server;

import dev.keel.api.registry.ModelVersion;
import dev.keel.api.registry.NewModelVersion;
import dev.keel.api.registry.NewRegisteredModel;
import dev.keel.api.tracking.NewExperiment;
import dev.keel.api.tracking.NewRun;
import dev.keel.api.tracking.TrackingService;
import dev.keel.core.Actor;
import dev.keel.core.ArtifactPath;
import dev.keel.registry.TrainedModel;

import java.io.ByteArrayInputStream;
import java.util.UUID;

/** Runs that logged a real ONNX model under {@code model/}, and versions registered from them, for registry tests. */
final class ModelsInRuns {
    private ModelsInRuns() {
    }

    /** A fresh run whose artifacts hold {@code model/model.onnx}; returns the run id. */
    static String runWithModel(TrackingService tracking, Actor actor) {
        String experimentId = tracking.createExperiment(actor, NewExperiment.named("models-" + UUID.randomUUID()))
                .experimentId();
        String runId = tracking.createRun(actor, NewRun.in(experimentId)).info().runId();
        tracking.logArtifact(actor, runId, ArtifactPath.of("model/model.onnx"), new ByteArrayInputStream(TrainedModel.onnx()));
        return runId;
    }

    /** A new registered model with one version, registered through the embedded services. */
    static ModelVersion registered(KeelPlatform platform, Actor actor, String name) {
        String runId = runWithModel(platform.tracking(), actor);
        platform.registry().createRegisteredModel(actor, NewRegisteredModel.named(name));
        return platform.registry().createModelVersion(actor, NewModelVersion.of(name, "runs:/" + runId + "/model", runId));
    }
}
