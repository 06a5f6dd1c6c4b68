package dev.keel.cli.demo;

import dev.keel.api.Tag;
import dev.keel.api.tracking.LogBatch;
import dev.keel.api.tracking.NewRun;
import dev.keel.api.tracking.RunStatus;
import dev.keel.api.tracking.RunUpdate;
import dev.keel.api.tracking.TrackingService;
import dev.keel.core.Actor;
import dev.keel.core.ArtifactPath;

import java.io.ByteArrayInputStream;
import java.util.List;

/** Runs logged through Keel's {@link TrackingService}: embedded, or the Java SDK over HTTP. */
record ServiceRunLog(TrackingService tracking, Actor actor) implements RunLog {

    @Override
    public String start(String experimentId, String runName, long startTime, List<Tag> tags) {
        return tracking.createRun(actor, new NewRun(experimentId, null, runName, startTime, tags)).info().runId();
    }

    @Override
    public void log(String runId, LogBatch batch) {
        tracking.logBatch(actor, runId, batch);
    }

    @Override
    public void upload(String runId, ArtifactPath path, byte[] content) {
        tracking.logArtifact(actor, runId, path, new ByteArrayInputStream(content));
    }

    @Override
    public void end(String runId, RunStatus status, long endTime) {
        tracking.updateRun(actor, runId, new RunUpdate(status, endTime, null));
    }

    @Override
    public String protocol() {
        return "Keel API";
    }
}
