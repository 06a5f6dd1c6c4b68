package dev.keel.server.mlflow;

import dev.keel.api.http.Operation;
import dev.keel.api.tracking.TrackingService;
import dev.keel.core.Actor;
import dev.keel.core.KeelException;
import dev.keel.server.http.JsonBodies;
import dev.keel.server.http.RequestActor;
import dev.keel.server.http.StreamedAnswer;
import dev.keel.server.http.Route;
import dev.keel.server.mlflow.MlflowShapes.Empty;
import dev.keel.server.mlflow.MlflowShapes.FileInfoJson;
import dev.keel.server.mlflow.MlflowShapes.ProxyListResponse;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * MLflow's artifact proxy ({@code mlflow_artifacts.proto}) under {@code /api/2.0/mlflow-artifacts/}:
 * MLflow's clients upload, download, list and delete a run's files through the server, and the
 * bytes stream into (and out of) Keel's artifact store through the tracking service.
 */
public record MlflowArtifactRoutes(TrackingService tracking, JsonBodies json, RequestActor actors) {
    private static final List<String> PREFIXES = List.of("/api/2.0/mlflow-artifacts/artifacts",
            "/ajax-api/2.0/mlflow-artifacts/artifacts");


    public List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        for (String prefix : PREFIXES) {
            routes.add(Route.of(Operation.get(prefix, "MLflow artifacts: list a directory (?path=)"), this::list));
            routes.add(Route.of(Operation.put(prefix + "/<path>", "MLflow artifacts: upload a file"), this::upload));
            routes.add(Route.of(Operation.get(prefix + "/<path>", "MLflow artifacts: download a file"), this::download));
            routes.add(Route.of(Operation.delete(prefix + "/<path>", "MLflow artifacts: delete a file or directory"), this::delete));
        }
        return routes;
    }

    /** The location named, once the run is known to live in the experiment the path names. */
    private ArtifactLocation locate(Actor actor, String proxyPath) {
        ArtifactLocation location = ArtifactLocation.parse(proxyPath);
        String experimentId = tracking.getRun(actor, location.runId()).info().experimentId();
        if (!experimentId.equals(location.experimentId())) {
            throw KeelException.notFound("run '" + location.runId() + "' is not in experiment '"
                    + location.experimentId() + "'");
        }
        return location;
    }

    private void list(Context ctx) {
        Actor actor = actors.of(ctx);
        ArtifactLocation location = locate(actor, ctx.queryParam("path"));
        List<FileInfoJson> files = MlflowShapes.list(tracking.listArtifacts(actor, location.runId(), location.path()),
                FileInfoJson::named);
        json.write(ctx, 200, new ProxyListResponse(files));
    }

    private void upload(Context ctx) {
        Actor actor = actors.of(ctx);
        ArtifactLocation location = locate(actor, ctx.pathParam("path"));
        tracking.logArtifact(actor, location.runId(), location.path(), ctx.bodyInputStream());
        json.write(ctx, 200, new Empty());
    }

    private void delete(Context ctx) {
        Actor actor = actors.of(ctx);
        ArtifactLocation location = locate(actor, ctx.pathParam("path"));
        tracking.deleteArtifact(actor, location.runId(), location.path());
        json.write(ctx, 200, new Empty());
    }

    private void download(Context ctx) throws IOException {
        Actor actor = actors.of(ctx);
        ArtifactLocation location = locate(actor, ctx.pathParam("path"));
        InputStream content = tracking.openArtifact(actor, location.runId(), location.path());
        StreamedAnswer.bytes(ctx, content, "download of artifact '" + ctx.pathParam("path") + "'");
    }
}
