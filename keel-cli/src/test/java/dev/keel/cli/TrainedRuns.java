package dev.keel.cli;

import dev.keel.api.registry.NewModelVersion;
import dev.keel.api.registry.NewRegisteredModel;
import dev.keel.api.tracking.NewExperiment;
import dev.keel.api.tracking.NewRun;
import dev.keel.api.tracking.TrackingService;
import dev.keel.cli.demo.Candidate;
import dev.keel.cli.demo.CreditRiskData;
import dev.keel.cli.demo.LogisticRegressionTraining;
import dev.keel.cli.demo.ModelFiles;
import dev.keel.core.Actor;
import dev.keel.core.ArtifactPath;
import dev.keel.server.KeelPlatform;

import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.Map;

/**
 * Runs holding a real model, as {@code keel demo} logs one: a one-epoch Tribuo logistic regression
 * trained on generated credit data, its files (the model under model/, its evaluation) logged in a
 * run of a new experiment, and, when asked, version 1 of a registered model made from that run.
 */
final class TrainedRuns {
    private TrainedRuns() {
    }

    /** The run and what was trained for it. */
    record TrainedRun(String runId, LogisticRegressionTraining.Result trained) {
    }

    /** A run by {@code actor} in a new experiment named {@code experiment}, holding the trained model's files. */
    static TrainedRun runWithModel(TrackingService tracking, Actor actor, String experiment) {
        CreditRiskData data = CreditRiskData.generate(200, 0.2, 7);
        LogisticRegressionTraining.Result trained = new LogisticRegressionTraining(data, 7)
                .train(new Candidate(Candidate.Optimiser.ADAGRAD, 0.05, 1), scores -> { });
        String experimentId = tracking.createExperiment(actor, NewExperiment.named(experiment)).experimentId();
        String runId = tracking.createRun(actor, NewRun.in(experimentId)).info().runId();
        for (Map.Entry<ArtifactPath, byte[]> file : ModelFiles.of(trained.model(), trained.evaluation(), runId,
                Instant.ofEpochSecond(1_700_000_000)).entrySet()) {
            tracking.logArtifact(actor, runId, file.getKey(), new ByteArrayInputStream(file.getValue()));
        }
        return new TrainedRun(runId, trained);
    }

    /** Version 1 of {@code model}, registered by {@code owner} from a {@link #runWithModel run} in {@code experiment}. */
    static void registered(KeelPlatform platform, Actor owner, String experiment, NewRegisteredModel model) {
        String runId = runWithModel(platform.tracking(), owner, experiment).runId();
        platform.registry().createRegisteredModel(owner, model);
        platform.registry().createModelVersion(owner, NewModelVersion.of(model.name(), "runs:/" + runId + "/model", runId));
    }
}
