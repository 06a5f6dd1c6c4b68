package dev.keel.server;

import dev.keel.api.registry.ModelVersion;
import dev.keel.api.tracking.NewExperiment;
import dev.keel.api.tracking.NewRun;
import dev.keel.core.Actor;
import dev.keel.core.Permission;
import dev.keel.core.Resource;
import dev.keel.core.Role;
import dev.keel.server.contract.Backend;
import dev.keel.server.contract.ContractSuite;
import dev.keel.server.contract.Deployment;
import dev.keel.server.http.RequestActor;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every role against every kind of action, through the REST API and the MLflow routes of a
 * server started with authentication on, on each database. Each cell acts on fresh resources
 * created by their owner, a member; the "granted" member holds EDIT on them, given by the owner.
 * For the rows marked withheld the owner also takes READ away from "member", so searches show
 * whether they filter: a search that answers but leaves the resource out is an H.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(value = Backend.class, names = {"HTTP_SQLITE", "HTTP_POSTGRESQL"})
class PermissionMatrixContract extends ContractSuite {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The columns of the table, in order. */
    private static final List<String> WHO = List.of("admin", "owner", "granted", "approver", "member", "viewer", "anonymous");

    private final Actor owner = new Actor("owner");

    @Override
    protected Deployment.Setup setup() {
        return Deployment.Setup.signedIn(Map.of("owner", Role.MEMBER, "granted", Role.MEMBER, "approver", Role.APPROVER,
                "member", Role.MEMBER, "viewer", Role.VIEWER));
    }

    private KeelPlatform platform() {
        return deployment().platform();
    }

    /** What a cell acts on: made by the owner, with EDIT granted to "granted". */
    record Fixture(String experimentId, String experimentName, String runId, String model, long version) {
    }

    Fixture tracked(boolean withheld) {
        String name = "e-" + UUID.randomUUID();
        String experimentId = platform().tracking().createExperiment(owner, NewExperiment.named(name)).experimentId();
        String runId = platform().tracking().createRun(owner, NewRun.in(experimentId)).info().runId();
        platform().access().grant(owner, Resource.experiment(experimentId), "granted", Permission.EDIT);
        if (withheld) {
            platform().access().grant(owner, Resource.experiment(experimentId), "member", Permission.NO_PERMISSIONS);
        }
        return new Fixture(experimentId, name, runId, null, 0);
    }

    Fixture registered(boolean withheld) {
        String name = "m-" + UUID.randomUUID();
        ModelVersion version = ModelsInRuns.registered(platform(), owner, name);
        platform().access().grant(owner, Resource.model(name), "granted", Permission.EDIT);
        if (withheld) {
            platform().access().grant(owner, Resource.model(name), "member", Permission.NO_PERMISSIONS);
        }
        return new Fixture(null, null, null, name, version.version());
    }

    /**
     * One kind of action: the request it sends, on a fresh fixture. For a search, {@code found}
     * picks the results out of the answer (the search's filter names the fixture alone).
     */
    record Action(String name, Function<Fixture, HttpRequest.Builder> request, boolean model, boolean withheld,
                  Function<JsonNode, JsonNode> found) {
        @Override
        public String toString() {
            return name;
        }
    }

    HttpRequest.Builder call(String method, String path, String body) {
        return HttpRequest.newBuilder(deployment().server().uri().resolve(path)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    }

    private static String query(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    // O: allowed (2xx; a search finds the resource), H: a search answers without it, D: denied (403),
    // U: unauthenticated (401); columns as in WHO
    Stream<Arguments> matrix() {
        List<Arguments> rows = new ArrayList<>();
        rows.add(row("read experiment", f -> call("GET", "/api/v1/experiments/" + f.experimentId(), null), false,
                "OOOOOOU"));
        rows.add(row("create experiment", f -> call("POST", "/api/v1/experiments",
                "{\"name\":\"new-" + UUID.randomUUID() + "\"}"), false, "OOOOODU"));
        rows.add(row("rename experiment", f -> call("PATCH", "/api/v1/experiments/" + f.experimentId(),
                "{\"name\":\"renamed-" + UUID.randomUUID() + "\"}"), false, "OOODDDU"));
        rows.add(row("delete experiment", f -> call("DELETE", "/api/v1/experiments/" + f.experimentId(), null), false,
                "OODDDDU"));
        rows.add(row("create run", f -> call("POST", "/api/v1/runs", "{\"experiment_id\":\"" + f.experimentId() + "\"}"),
                false, "OOODDDU"));
        rows.add(row("read run", f -> call("GET", "/api/v1/runs/" + f.runId(), null), false, "OOOOOOU"));
        rows.add(row("search runs", f -> call("POST", "/api/v1/runs/search",
                "{\"experiment_ids\":[\"" + f.experimentId() + "\"]}"), false, "OOOOOOU"));
        rows.add(row("log metric", f -> call("POST", "/api/v1/runs/" + f.runId() + "/metrics",
                "{\"key\":\"loss\",\"value\":0.5,\"timestamp\":1,\"step\":0}"), false, "OOODDDU"));
        rows.add(row("delete run", f -> call("DELETE", "/api/v1/runs/" + f.runId(), null), false, "OODDDDU"));
        rows.add(row("log metric (MLflow route)", f -> call("POST", "/api/2.0/mlflow/runs/log-metric",
                "{\"run_id\":\"" + f.runId() + "\",\"key\":\"loss\",\"value\":0.5,\"timestamp\":1,\"step\":0}"), false,
                "OOODDDU"));
        rows.add(row("read experiment (MLflow route)", f -> call("GET",
                "/api/2.0/mlflow/experiments/get?experiment_id=" + f.experimentId(), null), false, "OOOOOOU"));
        rows.add(row("register model", f -> call("POST", "/api/v1/models", "{\"name\":\"new-" + UUID.randomUUID() + "\"}"),
                true, "OOOOODU"));
        rows.add(row("read model", f -> call("GET", "/api/v1/models/" + f.model(), null), true, "OOOOOOU"));
        rows.add(row("download model file", f -> call("GET", "/api/v1/models/" + f.model() + "/versions/" + f.version()
                + "/files/model.onnx", null), true, "OOODDDU"));
        rows.add(row("transition stage (Archived, not gated)", f -> call("POST", "/api/v1/models/" + f.model()
                + "/versions/" + f.version() + "/stage", "{\"stage\":\"Archived\"}"), true, "OOODDDU"));
        // with sign-in required the approval gate is on: Staging and Production only through an approved request
        rows.add(row("transition stage (Staging, gated)", f -> call("POST", "/api/v1/models/" + f.model() + "/versions/"
                + f.version() + "/stage", "{\"stage\":\"Staging\"}"), true, "DDDDDDU"));
        rows.add(row("transition stage (MLflow route, gated)", f -> call("POST",
                "/api/2.0/mlflow/model-versions/transition-stage", "{\"name\":\"" + f.model() + "\",\"version\":\""
                + f.version() + "\",\"stage\":\"Production\",\"archive_existing_versions\":false}"), true, "DDDDDDU"));
        rows.add(row("delete model", f -> call("DELETE", "/api/v1/models/" + f.model(), null), true, "OODDDDU"));
        rows.add(row("list users", f -> call("GET", "/api/v1/users", null), false, "ODDDDDU"));

        // the same resources with READ taken from "member": reads refuse, searches leave them out
        rows.add(withheld("read experiment, withheld", f -> call("GET", "/api/v1/experiments/" + f.experimentId(), null),
                false, "OOOODOU", null));
        rows.add(withheld("search experiments, withheld", f -> call("GET", "/api/v1/experiments?filter="
                + query("name = '" + f.experimentName() + "'"), null), false, "OOOOHOU", body -> body.path("items")));
        rows.add(withheld("search experiments (MLflow route), withheld", f -> call("POST",
                "/api/2.0/mlflow/experiments/search", "{\"filter\":\"name = '" + f.experimentName() + "'\"}"), false,
                "OOOOHOU", body -> body.path("experiments")));
        rows.add(withheld("search models, withheld", f -> call("GET", "/api/v1/models?filter="
                + query("name = '" + f.model() + "'"), null), true, "OOOOHOU", body -> body.path("items")));
        rows.add(withheld("search models (MLflow route), withheld", f -> call("GET",
                "/api/2.0/mlflow/registered-models/search?filter=" + query("name = '" + f.model() + "'"), null), true,
                "OOOOHOU", body -> body.path("registered_models")));
        rows.add(withheld("search model versions, withheld", f -> call("GET", "/api/v1/model-versions?filter="
                + query("name = '" + f.model() + "'"), null), true, "OOOOHOU", body -> body.path("items")));
        rows.add(withheld("search model versions (MLflow route), withheld", f -> call("GET",
                "/api/2.0/mlflow/model-versions/search?filter=" + query("name = '" + f.model() + "'"), null), true,
                "OOOOHOU", body -> body.path("model_versions")));
        rows.add(withheld("latest versions, withheld", f -> call("GET", "/api/v1/models/" + f.model()
                + "/latest-versions", null), true, "OOOODOU", body -> body.path("versions")));
        rows.add(withheld("latest versions (MLflow route), withheld", f -> call("POST",
                "/api/2.0/mlflow/registered-models/get-latest-versions", "{\"name\":\"" + f.model() + "\"}"), true,
                "OOOODOU", body -> body.path("model_versions")));
        return rows.stream();
    }

    static Arguments row(String name, Function<Fixture, HttpRequest.Builder> request, boolean model, String expected) {
        return Arguments.of(new Action(name, request, model, false, null), expected);
    }

    static Arguments withheld(String name, Function<Fixture, HttpRequest.Builder> request, boolean model, String expected,
                              Function<JsonNode, JsonNode> found) {
        return Arguments.of(new Action(name, request, model, true, found), expected);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("matrix")
    void each_role_may_do_what_its_permission_allows(Action action, String expected) throws Exception {
        StringBuilder got = new StringBuilder();
        List<String> bodies = new ArrayList<>();
        for (String who : WHO) {
            Fixture fixture = action.model() ? registered(action.withheld()) : tracked(action.withheld());
            HttpRequest.Builder request = action.request().apply(fixture);
            if (!who.equals("anonymous")) {
                request.header("Authorization", "Bearer " + deployment().token(who));
            }
            HttpResponse<String> response = Deployment.send(request.build());
            int status = response.statusCode();
            char cell = status / 100 == 2 ? 'O' : status == 403 ? 'D' : status == 401 ? 'U' : '?';
            if (cell == 'O' && action.found() != null) {
                // MLflow's routes leave an empty list out, as MLflow's own server does
                JsonNode found = action.found().apply(JSON.readTree(response.body()));
                assertThat(found.isArray() || found.isMissingNode()).as("%s answered %s", action, response.body()).isTrue();
                cell = found.isEmpty() ? 'H' : 'O';
            }
            got.append(cell);
            bodies.add(who + " " + status + " " + (status / 100 == 2 ? "" : response.body()));
            if (status == 401) {
                assertThat(response.headers().firstValue("WWW-Authenticate")).contains(RequestActor.CHALLENGE);
            }
            if (status == 403 || status == 401) {
                JsonNode body = JSON.readTree(response.body());
                assertThat(body.path("error_code").asText()).isEqualTo(status == 403 ? "PERMISSION_DENIED" : "UNAUTHENTICATED");
            }
        }
        assertThat(got.toString()).as("%s, by %s: %s", action, WHO, bodies).isEqualTo(expected);
    }

    @Test
    void http_basic_signs_in_with_a_password_and_a_wrong_one_is_401() {
        String right = Base64.getEncoder().encodeToString("admin:admin-password".getBytes(StandardCharsets.UTF_8));
        String wrong = Base64.getEncoder().encodeToString("admin:nope-nope-nope".getBytes(StandardCharsets.UTF_8));
        assertThat(Deployment.send(call("GET", "/api/v1/users", null).header("Authorization", "Basic " + right).build())
                .statusCode()).isEqualTo(200);
        HttpResponse<String> refused = Deployment.send(call("GET", "/api/v1/users", null)
                .header("Authorization", "Basic " + wrong).build());
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("WWW-Authenticate")).contains(RequestActor.CHALLENGE);
        assertThat(Deployment.send(call("GET", "/api/v1/users", null).header("Authorization", "Bearer keel_forged").build())
                .statusCode()).isEqualTo(401);
    }

    @Test
    void health_and_the_api_description_stay_open() {
        assertThat(Deployment.send(call("GET", "/health", null).build()).statusCode()).isEqualTo(200);
        assertThat(Deployment.send(call("GET", "/api/docs", null).build()).statusCode()).isEqualTo(200);
    }

    @Test
    void a_revoked_token_is_refused_at_once() throws Exception {
        String admin = "Bearer " + deployment().token("admin");
        HttpResponse<String> created = Deployment.send(call("POST", "/api/v1/tokens", "{\"user\":\"member\",\"description\":\"short-lived\"}")
                .header("Authorization", admin).build());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode issued = JSON.readTree(created.body());
        String secret = issued.path("secret").asText();
        String tokenId = issued.at("/token/token_id").asText();
        assertThat(Deployment.send(call("GET", "/api/v1/tokens", null).header("Authorization", "Bearer " + secret).build())
                .body()).contains(tokenId).doesNotContain(secret);
        assertThat(Deployment.send(call("DELETE", "/api/v1/tokens/" + tokenId, null).header("Authorization", admin).build())
                .statusCode()).isEqualTo(204);
        assertThat(Deployment.send(call("GET", "/api/v1/tokens", null).header("Authorization", "Bearer " + secret).build())
                .statusCode()).isEqualTo(401);
    }

    @Test
    void a_grant_over_rest_lets_a_member_edit() throws Exception {
        Fixture fixture = tracked(false);
        String member = "Bearer " + deployment().token("member");
        HttpRequest.Builder log = call("POST", "/api/v1/runs/" + fixture.runId() + "/metrics",
                "{\"key\":\"loss\",\"value\":0.5,\"timestamp\":1,\"step\":0}").header("Authorization", member);
        assertThat(Deployment.send(log.build()).statusCode()).isEqualTo(403);
        HttpResponse<String> granted = Deployment.send(call("PUT", "/api/v1/permissions", "{\"resource_kind\":\"experiment\","
                + "\"resource_id\":\"" + fixture.experimentId() + "\",\"user\":\"member\",\"permission\":\"EDIT\"}")
                .header("Authorization", "Bearer " + deployment().token("owner")).build());
        assertThat(granted.statusCode()).as(granted.body()).isEqualTo(200);
        assertThat(Deployment.send(log.build()).statusCode()).isEqualTo(204);
        HttpResponse<String> bad = Deployment.send(call("PUT", "/api/v1/permissions", "{\"resource_kind\":\"dataset\","
                + "\"resource_id\":\"1\",\"user\":\"member\",\"permission\":\"EDIT\"}")
                .header("Authorization", "Bearer " + deployment().token("owner")).build());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("resource_kind");
    }
}
