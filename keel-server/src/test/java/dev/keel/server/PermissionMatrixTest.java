package dev.keel.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.core.Actor;
import dev.keel.core.Ids;
import dev.keel.core.Permission;
import dev.keel.core.Resource;
import dev.keel.core.Role;
import dev.keel.governance.access.AccessControl;
import dev.keel.registry.ModelVersion;
import dev.keel.server.http.RequestActor;
import dev.keel.store.LocalArtifactStore;
import dev.keel.store.TestDatabases;
import dev.keel.store.TestDatabases.TestDatabase;
import dev.keel.tracking.NewExperiment;
import dev.keel.tracking.NewRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every role against every kind of action, through the REST API of a server started with
 * authentication on. Each cell acts on fresh resources created by their owner, a member; the
 * "granted" member holds EDIT on them, given by the owner.
 */
class PermissionMatrixTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The columns of the table, in order. */
    private static final List<String> WHO = List.of("admin", "owner", "granted", "approver", "member", "viewer", "anonymous");

    @TempDir
    static Path dir;
    static TestDatabase database;
    static KeelPlatform platform;
    static KeelServer server;
    static final Map<String, String> tokens = new LinkedHashMap<>();
    static final Actor owner = new Actor("owner");

    @BeforeAll
    static void start() {
        database = TestDatabases.sqlite(dir);
        platform = KeelPlatform.of(database.database(), new LocalArtifactStore(dir.resolve("artifacts")), Clock.systemUTC(),
                new Ids(new SplittableRandom(7)), Authentication.on());
        AccessControl access = platform.access();
        access.bootstrap("admin-password", Duration.ofHours(1));
        Actor admin = new Actor(AccessControl.ADMIN);
        access.createUser(admin, "owner", null, Role.MEMBER);
        access.createUser(admin, "granted", null, Role.MEMBER);
        access.createUser(admin, "approver", null, Role.APPROVER);
        access.createUser(admin, "member", null, Role.MEMBER);
        access.createUser(admin, "viewer", null, Role.VIEWER);
        for (String who : WHO.subList(0, WHO.size() - 1)) {
            tokens.put(who, access.createToken(admin, who, "matrix", null).secret());
        }
        server = KeelServer.start(platform, "127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        server.close();
        platform.close();
        database.close();
    }

    /** What a cell acts on: made by the owner, with EDIT granted to "granted". */
    record Fixture(String experimentId, String runId, String model, long version) {
    }

    static Fixture tracked() {
        String experimentId = platform.tracking().createExperiment(owner, NewExperiment.named("e-" + UUID.randomUUID()))
                .experimentId();
        String runId = platform.tracking().createRun(owner, NewRun.in(experimentId)).info().runId();
        platform.access().grant(owner, Resource.experiment(experimentId), "granted", Permission.EDIT);
        return new Fixture(experimentId, runId, null, 0);
    }

    static Fixture registered() {
        String name = "m-" + UUID.randomUUID();
        ModelVersion version = ModelsInRuns.registered(platform, owner, name);
        platform.access().grant(owner, Resource.model(name), "granted", Permission.EDIT);
        return new Fixture(null, null, name, version.version());
    }

    /** One kind of action: the request it sends, on a fresh fixture. */
    record Action(String name, Function<Fixture, HttpRequest.Builder> request, boolean model) {
        @Override
        public String toString() {
            return name;
        }
    }

    static HttpRequest.Builder call(String method, String path, String body) {
        return HttpRequest.newBuilder(server.uri().resolve(path)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    }

    // O: allowed (2xx), D: denied (403), U: unauthenticated (401); columns as in WHO
    static Stream<Arguments> matrix() {
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
        rows.add(row("transition stage", f -> call("POST", "/api/v1/models/" + f.model() + "/versions/" + f.version()
                + "/stage", "{\"stage\":\"Staging\"}"), true, "OOODDDU"));
        rows.add(row("delete model", f -> call("DELETE", "/api/v1/models/" + f.model(), null), true, "OODDDDU"));
        rows.add(row("list users", f -> call("GET", "/api/v1/users", null), false, "ODDDDDU"));
        return rows.stream();
    }

    static Arguments row(String name, Function<Fixture, HttpRequest.Builder> request, boolean model, String expected) {
        return Arguments.of(new Action(name, request, model), expected);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("matrix")
    void each_role_may_do_what_its_permission_allows(Action action, String expected) throws Exception {
        StringBuilder got = new StringBuilder();
        List<String> bodies = new ArrayList<>();
        for (String who : WHO) {
            Fixture fixture = action.model() ? registered() : tracked();
            HttpRequest.Builder request = action.request().apply(fixture);
            if (!who.equals("anonymous")) {
                request.header("Authorization", "Bearer " + tokens.get(who));
            }
            HttpResponse<String> response = TestServer.send(request.build());
            int status = response.statusCode();
            got.append(status / 100 == 2 ? 'O' : status == 403 ? 'D' : status == 401 ? 'U' : '?');
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
        assertThat(TestServer.send(call("GET", "/api/v1/users", null).header("Authorization", "Basic " + right).build())
                .statusCode()).isEqualTo(200);
        HttpResponse<String> refused = TestServer.send(call("GET", "/api/v1/users", null)
                .header("Authorization", "Basic " + wrong).build());
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("WWW-Authenticate")).contains(RequestActor.CHALLENGE);
        assertThat(TestServer.send(call("GET", "/api/v1/users", null).header("Authorization", "Bearer keel_forged").build())
                .statusCode()).isEqualTo(401);
    }

    @Test
    void health_and_the_api_description_stay_open() {
        assertThat(TestServer.send(call("GET", "/health", null).build()).statusCode()).isEqualTo(200);
        assertThat(TestServer.send(call("GET", "/api/docs", null).build()).statusCode()).isEqualTo(200);
    }

    @Test
    void a_revoked_token_is_refused_at_once() throws Exception {
        String admin = "Bearer " + tokens.get("admin");
        HttpResponse<String> created = TestServer.send(call("POST", "/api/v1/tokens", "{\"user\":\"member\",\"description\":\"short-lived\"}")
                .header("Authorization", admin).build());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode issued = JSON.readTree(created.body());
        String secret = issued.path("secret").asText();
        String tokenId = issued.at("/token/token_id").asText();
        assertThat(TestServer.send(call("GET", "/api/v1/tokens", null).header("Authorization", "Bearer " + secret).build())
                .body()).contains(tokenId).doesNotContain(secret);
        assertThat(TestServer.send(call("DELETE", "/api/v1/tokens/" + tokenId, null).header("Authorization", admin).build())
                .statusCode()).isEqualTo(204);
        assertThat(TestServer.send(call("GET", "/api/v1/tokens", null).header("Authorization", "Bearer " + secret).build())
                .statusCode()).isEqualTo(401);
    }

    @Test
    void a_grant_over_rest_lets_a_member_edit() throws Exception {
        Fixture fixture = tracked();
        String member = "Bearer " + tokens.get("member");
        HttpRequest.Builder log = call("POST", "/api/v1/runs/" + fixture.runId() + "/metrics",
                "{\"key\":\"loss\",\"value\":0.5,\"timestamp\":1,\"step\":0}").header("Authorization", member);
        assertThat(TestServer.send(log.build()).statusCode()).isEqualTo(403);
        HttpResponse<String> granted = TestServer.send(call("PUT", "/api/v1/permissions", "{\"resource_kind\":\"experiment\","
                + "\"resource_id\":\"" + fixture.experimentId() + "\",\"user\":\"member\",\"permission\":\"EDIT\"}")
                .header("Authorization", "Bearer " + tokens.get("owner")).build());
        assertThat(granted.statusCode()).as(granted.body()).isEqualTo(200);
        assertThat(TestServer.send(log.build()).statusCode()).isEqualTo(204);
        HttpResponse<String> bad = TestServer.send(call("PUT", "/api/v1/permissions", "{\"resource_kind\":\"dataset\","
                + "\"resource_id\":\"1\",\"user\":\"member\",\"permission\":\"EDIT\"}")
                .header("Authorization", "Bearer " + tokens.get("owner")).build());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("resource_kind");
    }
}
