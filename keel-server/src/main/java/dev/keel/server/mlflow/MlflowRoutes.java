package dev.keel.server.mlflow;

import dev.keel.api.http.Operation;
import dev.keel.api.registry.RegistryService;
import dev.keel.api.tracking.TrackingService;
import dev.keel.server.http.JsonBodies;
import dev.keel.server.http.RequestActor;
import dev.keel.server.http.Route;
import dev.keel.api.http.WireFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;

/**
 * Every MLflow route Keel answers — tracking, model registry, artifacts, {@code /version} — as one list for the
 * server to register beside the native API. Responses leave out unset fields, as MLflow's do.
 */
public final class MlflowRoutes {
    private MlflowRoutes() {
    }

    public static List<Route> of(TrackingService tracking, RegistryService registry, long maxJsonBodyBytes,
                                 RequestActor actors, String version) {
        ObjectMapper mapper = WireFormat.newMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);
        JsonBodies json = new JsonBodies(mapper, maxJsonBodyBytes);
        List<Route> routes = new ArrayList<>();
        routes.add(Route.of(Operation.get("/version", "MLflow: the server's version").returnsText(),
                ctx -> ctx.contentType("text/plain").result(version)));
        routes.addAll(new MlflowTrackingRoutes(tracking, json, actors).routes());
        routes.addAll(new MlflowRegistryRoutes(registry, json, actors, maxJsonBodyBytes).routes());
        routes.addAll(new MlflowArtifactRoutes(tracking, json, actors).routes());
        return routes;
    }
}
