package dev.keel.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.serving.endpoint.Route;
import dev.keel.serving.endpoint.Router;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The endpoint and rollout routes on a real server: every route's shape, and bad input answered 4xx naming the field. */
class EndpointRoutesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer server;
    private final AtomicInteger names = new AtomicInteger();

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private String name(String prefix) {
        return prefix + "-" + names.incrementAndGet();
    }

    private static JsonNode body(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(response.body(), e);
        }
    }

    private static JsonNode ok(int status, HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return status == 204 ? null : body(response);
    }

    private static void refused(int status, String text, HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(body(response).get("message").asText()).contains(text);
    }

    private JsonNode create(String name, String variants, String policy) {
        return ok(201, server.json("POST", "/api/v1/endpoints", "{\"name\": \"" + name + "\", \"variants\": " + variants
                + ", \"policy\": " + policy + "}"));
    }

    private JsonNode single(String name) {
        return create(name, "[{\"name\": \"blue\", \"model\": \"models:/credit/1\"}]",
                "{\"kind\": \"single\", \"variant\": \"blue\"}");
    }

    @Test
    void an_endpoint_is_created_read_listed_and_deleted() {
        String name = name("life");
        JsonNode created = create(name, "[{\"name\": \"blue\", \"model\": \"models:/credit/1\"}, "
                        + "{\"name\": \"green\", \"model\": \"models:/credit@champion\"}]",
                "{\"kind\": \"single\", \"variant\": \"blue\"}");
        assertThat(created.get("name").asText()).isEqualTo(name);
        assertThat(created.get("version").asLong()).isEqualTo(1);
        assertThat(created.get("policy").toString()).isEqualTo("{\"kind\":\"single\",\"variant\":\"blue\"}");
        assertThat(created.get("variants").get(1).get("model").asText()).isEqualTo("models:/credit@champion");
        assertThat(created.get("created_time").asLong()).isPositive();
        assertThat(created.get("shadow").isNull()).isTrue();

        assertThat(ok(200, server.get("/api/v1/endpoints/" + name))).isEqualTo(created);
        JsonNode list = ok(200, server.get("/api/v1/endpoints"));
        assertThat(list.get("endpoints").findValuesAsText("name")).contains(name);

        ok(204, server.send("DELETE", "/api/v1/endpoints/" + name, null, null));
        refused(404, name, server.get("/api/v1/endpoints/" + name));
        refused(404, name, server.send("DELETE", "/api/v1/endpoints/" + name, null, null));
        refused(400, "already exists", server.json("POST", "/api/v1/endpoints", "{\"name\": \"" + single(name).get("name").asText()
                + "\", \"variants\": [{\"name\": \"blue\", \"model\": \"models:/credit/1\"}], "
                + "\"policy\": {\"kind\": \"single\", \"variant\": \"blue\"}}"));
    }

    @Test
    void a_policy_update_names_the_version_it_was_made_on_and_a_stale_one_is_a_409() {
        String name = name("ab");
        create(name, "[{\"name\": \"a\", \"model\": \"models:/credit/1\"}, {\"name\": \"b\", \"model\": \"models:/credit/2\"}]",
                "{\"kind\": \"single\", \"variant\": \"a\"}");
        String update = "{\"expected_version\": 1, \"policy\": {\"kind\": \"ab_test\", \"weights\": {\"a\": 70, \"b\": 30}}}";
        JsonNode updated = ok(200, server.json("PUT", "/api/v1/endpoints/" + name + "/policy", update));
        assertThat(updated.get("version").asLong()).isEqualTo(2);
        assertThat(updated.get("policy").toString()).isEqualTo("{\"kind\":\"ab_test\",\"weights\":{\"a\":70.0,\"b\":30.0}}");
        refused(409, "version", server.json("PUT", "/api/v1/endpoints/" + name + "/policy", update));
        assertThat(ok(200, server.get("/api/v1/endpoints/" + name)).get("version").asLong()).isEqualTo(2);

        // replacing the variants with the policy
        JsonNode replaced = ok(200, server.json("PUT", "/api/v1/endpoints/" + name + "/policy", "{\"expected_version\": 2, "
                + "\"variants\": [{\"name\": \"c\", \"model\": \"models:/credit/3\"}], \"policy\": {\"kind\": \"single\", "
                + "\"variant\": \"c\"}}"));
        assertThat(replaced.get("variants").findValuesAsText("name")).containsExactly("c");
    }

    @Test
    void blue_green_switches_and_the_shadow_is_set_and_removed() {
        String name = name("bg");
        JsonNode created = create(name, "[{\"name\": \"blue\", \"model\": \"models:/credit/1\"}, "
                        + "{\"name\": \"green\", \"model\": \"models:/credit/2\"}, {\"name\": \"dark\", \"model\": \"models:/credit/3\"}]",
                "{\"kind\": \"blue_green\", \"active\": \"blue\", \"standby\": \"green\", \"keep_warm_ms\": 60000}");
        assertThat(created.get("policy").get("keep_warm_ms").asLong()).isEqualTo(60000);
        assertThat(created.get("policy").has("last_switch_time")).isFalse();
        JsonNode switched = ok(200, server.json("POST", "/api/v1/endpoints/" + name + "/switch", "{\"variant\": \"green\"}"));
        assertThat(switched.get("policy").get("active").asText()).isEqualTo("green");
        assertThat(switched.get("policy").get("last_switch_time").asLong()).isPositive();
        JsonNode again = ok(200, server.json("POST", "/api/v1/endpoints/" + name + "/switch", "{\"variant\": \"green\"}"));
        assertThat(again.get("version")).isEqualTo(switched.get("version"));
        refused(400, "variant", server.json("POST", "/api/v1/endpoints/" + name + "/switch", "{\"variant\": \"nope\"}"));

        long version = switched.get("version").asLong();
        JsonNode shadowed = ok(200, server.json("PUT", "/api/v1/endpoints/" + name + "/shadow",
                "{\"expected_version\": " + version + ", \"variant\": \"dark\", \"percent\": 12.5}"));
        assertThat(shadowed.get("shadow").toString()).isEqualTo("{\"variant\":\"dark\",\"percent\":12.5}");
        refused(409, "version", server.send("DELETE", "/api/v1/endpoints/" + name + "/shadow?expected_version=" + version,
                null, null));
        JsonNode removed = ok(200, server.send("DELETE", "/api/v1/endpoints/" + name + "/shadow?expected_version="
                + shadowed.get("version").asLong(), null, null));
        assertThat(removed.get("shadow").isNull()).isTrue();
    }

    @Test
    void a_canary_is_started_paused_resumed_and_aborted_and_its_rollouts_are_listed() {
        String name = name("canary");
        single(name);
        String start = "{\"variant\": {\"name\": \"green\", \"model\": \"models:/credit/2\"}, \"steps\": [10, 50, 100], "
                + "\"analysis\": {\"interval_ms\": 60000, \"min_samples\": 50, \"inconclusive_limit\": 2, "
                + "\"guardrails\": {\"max_error_percent\": 5, \"max_p99_latency_ms\": 250, "
                + "\"signals\": [{\"signal\": \"accuracy\", \"bound\": \"at_least\", \"threshold\": 0.8, \"min_samples\": 10}]}}}";
        JsonNode rollout = ok(201, server.json("POST", "/api/v1/endpoints/" + name + "/canary", start));
        assertThat(rollout.get("status").asText()).isEqualTo("PROGRESSING");
        assertThat(rollout.get("canary_weight").asDouble()).isEqualTo(10.0);
        assertThat(rollout.get("analysis").get("guardrails").get("signals").get(0).get("bound").asText()).isEqualTo("at_least");
        assertThat(rollout.get("analysis").get("guardrails").get("max_p99_latency_ms").asLong()).isEqualTo(250);
        assertThat(ok(200, server.get("/api/v1/endpoints/" + name)).get("policy").get("kind").asText()).isEqualTo("canary");
        refused(409, "", server.json("POST", "/api/v1/endpoints/" + name + "/canary", start));
        refused(409, "", server.json("PUT", "/api/v1/endpoints/" + name + "/policy",
                "{\"expected_version\": 2, \"policy\": {\"kind\": \"single\", \"variant\": \"blue\"}}"));

        JsonNode paused = ok(200, server.json("POST", "/api/v1/endpoints/" + name + "/canary/pause", "{\"reason\": \"lunch\"}"));
        assertThat(paused.get("status").asText()).isEqualTo("PAUSED");
        assertThat(ok(200, server.send("POST", "/api/v1/endpoints/" + name + "/canary/resume", null, null))
                .get("status").asText()).isEqualTo("PROGRESSING");
        JsonNode aborted = ok(200, server.send("POST", "/api/v1/endpoints/" + name + "/canary/abort", null, null));
        assertThat(aborted.get("status").asText()).isEqualTo("ABORTED");
        assertThat(aborted.get("ended_time").asLong()).isPositive();
        assertThat(aborted.get("history").findValuesAsText("kind")).containsExactly("started", "paused", "resumed", "aborted");
        refused(409, "", server.send("POST", "/api/v1/endpoints/" + name + "/canary/promote", null, null));

        JsonNode latest = ok(200, server.get("/api/v1/endpoints/" + name + "/rollout"));
        assertThat(latest.get("id")).isEqualTo(rollout.get("id"));
        assertThat(latest.get("rollback").isNull()).isTrue();
        ok(201, server.json("POST", "/api/v1/endpoints/" + name + "/canary", start));
        JsonNode promoted = ok(200, server.send("POST", "/api/v1/endpoints/" + name + "/canary/promote", null, null));
        assertThat(promoted.get("status").asText()).isEqualTo("PROMOTED");
        JsonNode rollouts = ok(200, server.get("/api/v1/endpoints/" + name + "/rollouts")).get("rollouts");
        assertThat(rollouts.findValuesAsText("status")).containsExactly("PROMOTED", "ABORTED");
        assertThat(ok(200, server.get("/api/v1/endpoints/" + name)).get("policy").toString())
                .isEqualTo("{\"kind\":\"single\",\"variant\":\"green\"}");
        refused(404, "", server.get("/api/v1/endpoints/" + name("never") + "/rollout"));
    }

    @Test
    void variant_totals_and_their_comparison_come_with_a_significance_test() {
        String name = name("compare");
        create(name, "[{\"name\": \"a\", \"model\": \"models:/credit/1\"}, {\"name\": \"b\", \"model\": \"models:/credit/2\"}]",
                "{\"kind\": \"ab_test\", \"weights\": {\"a\": 50, \"b\": 50}}");
        Router router = server.platform.serving().router();
        for (int i = 0; i < 2_000; i++) {
            Route route = router.route(name, "user-" + i);
            boolean b = route.variant().name().equals("b");
            route.statistics().record((b ? 30 : 10) * 1_000_000L + i, b && i % 5 == 0);
        }
        JsonNode totals = ok(200, server.get("/api/v1/endpoints/" + name + "/totals")).get("variants");
        assertThat(totals.get("a").get("requests").asLong() + totals.get("b").get("requests").asLong()).isEqualTo(2_000);
        assertThat(totals.get("a").get("errors").asLong()).isZero();
        assertThat(totals.get("b").get("latency_ms").get("count").asLong()).isEqualTo(totals.get("b").get("requests").asLong());

        JsonNode errors = ok(200, server.get("/api/v1/endpoints/" + name + "/compare?a=a&b=b&metric=error_rate"));
        assertThat(errors.get("metric").asText()).isEqualTo("error_rate");
        assertThat(errors.get("value_b").asDouble()).isGreaterThan(10);
        assertThat(errors.get("significance").get("test").asText()).isEqualTo("two-proportion z-test");
        assertThat(errors.get("significance").get("p_value").asDouble()).isLessThan(0.001);
        assertThat(errors.get("significance").get("degrees_of_freedom").asText()).isEqualTo("NaN");
        JsonNode latency = ok(200, server.get("/api/v1/endpoints/" + name + "/compare?a=a&b=b&metric=latency"));
        assertThat(latency.get("significance").get("test").asText()).isEqualTo("Welch's t-test");
        assertThat(ok(200, server.get("/api/v1/endpoints/" + name + "/compare?a=a&b=b")).get("metric").asText())
                .isEqualTo("error_rate");

        refused(400, "'a'", server.get("/api/v1/endpoints/" + name + "/compare?b=b"));
        refused(400, "metric", server.get("/api/v1/endpoints/" + name + "/compare?a=a&b=b&metric=vibes"));
        refused(400, "signal", server.get("/api/v1/endpoints/" + name + "/compare?a=a&b=b&metric=signal:conversion"));
        refused(400, "zz", server.get("/api/v1/endpoints/" + name + "/compare?a=a&b=zz"));
        refused(404, "", server.get("/api/v1/endpoints/" + name("none") + "/totals"));
    }

    @Test
    void hostile_input_is_a_400_naming_the_field_and_writes_nothing() {
        String name = name("hostile");
        String variants = "[{\"name\": \"a\", \"model\": \"models:/credit/1\"}, {\"name\": \"b\", \"model\": \"models:/credit/2\"}]";
        String[][] creates = {
                {"{\"kind\": \"round_robin\"}", "policy.kind"},
                {"{\"variant\": \"a\"}", "policy.kind"},
                {"{\"kind\": \"single\"}", "policy.variant"},
                {"{\"kind\": \"single\", \"variant\": \"a\", \"weights\": {\"a\": 100}}", "policy.weights"},
                {"{\"kind\": \"ab_test\", \"weights\": {\"a\": 50, \"b\": 40}}", "add up to 100"},
                {"{\"kind\": \"ab_test\", \"weights\": {\"a\": 150, \"b\": -50}}", "policy.weights"},
                {"{\"kind\": \"ab_test\", \"weights\": {\"a\": \"50\", \"b\": 50}}", "weights"},
                {"{\"kind\": \"ab_test\", \"weights\": {\"a\": 50, \"zz\": 50}}", "zz"},
                {"{\"kind\": \"blue_green\", \"active\": \"a\", \"standby\": \"a\"}", "policy.standby"},
                {"{\"kind\": \"blue_green\", \"active\": \"a\", \"standby\": \"b\", \"keep_warm_ms\": -1}", "keep_warm_ms"},
                {"{\"kind\": \"blue_green\", \"active\": \"a\", \"standby\": \"b\", \"steps\": [10]}", "policy.steps"},
                {"{\"kind\": \"canary\", \"stable\": \"a\", \"canary\": \"b\"}", "rollout"},
                {"\"single\"", "policy"}};
        for (String[] bad : creates) {
            HttpResponse<String> response = server.json("POST", "/api/v1/endpoints", "{\"name\": \"" + name
                    + "\", \"variants\": " + variants + ", \"policy\": " + bad[0] + "}");
            refused(400, bad[1], response);
        }
        refused(400, "variants", server.json("POST", "/api/v1/endpoints", "{\"name\": \"" + name
                + "\", \"policy\": {\"kind\": \"single\", \"variant\": \"a\"}}"));
        refused(400, "model", server.json("POST", "/api/v1/endpoints", "{\"name\": \"" + name
                + "\", \"variants\": [{\"name\": \"a\", \"model\": \"s3://x\"}], \"policy\": {\"kind\": \"single\", \"variant\": \"a\"}}"));
        refused(400, "name", server.json("POST", "/api/v1/endpoints", "{\"name\": \"../x\", \"variants\": " + variants
                + ", \"policy\": {\"kind\": \"single\", \"variant\": \"a\"}}"));
        refused(400, "JSON", server.json("POST", "/api/v1/endpoints", "{\"name\": "));
        refused(400, "Content-Type", server.send("POST", "/api/v1/endpoints", "text/plain", "{}"));
        refused(404, name, server.get("/api/v1/endpoints/" + name));

        single(name);
        String path = "/api/v1/endpoints/" + name;
        refused(400, "expected_version", server.json("PUT", path + "/policy", "{\"policy\": {\"kind\": \"single\", \"variant\": \"blue\"}}"));
        refused(400, "expected_version", server.json("PUT", path + "/policy", "{\"expected_version\": 0, \"policy\": {\"kind\": \"single\", \"variant\": \"blue\"}}"));
        refused(400, "policy.kind", server.json("PUT", path + "/policy", "{\"expected_version\": 1, \"policy\": {\"kind\": \"canary\"}}"));
        refused(400, "expected_version", server.send("DELETE", path + "/shadow?expected_version=abc", null, null));
        refused(400, "expected_version", server.send("DELETE", path + "/shadow", null, null));
        refused(400, "shadow", server.json("PUT", path + "/shadow", "{\"expected_version\": 1, \"variant\": \"blue\"}"));
        refused(400, "shadow.percent", server.json("PUT", path + "/shadow", "{\"expected_version\": 1, \"variant\": \"blue\", \"percent\": 101}"));

        String green = "{\"name\": \"green\", \"model\": \"models:/credit/2\"}";
        String guardrails = "\"guardrails\": {\"max_error_percent\": 5}";
        String[][] canaries = {
                {"{\"variant\": " + green + ", \"steps\": [50, 10], \"analysis\": {" + guardrails + "}}", "steps"},
                {"{\"variant\": " + green + ", \"steps\": [], \"analysis\": {" + guardrails + "}}", "steps"},
                {"{\"variant\": " + green + ", \"steps\": [10, 150], \"analysis\": {" + guardrails + "}}", "steps[1]"},
                {"{\"variant\": " + green + ", \"analysis\": {" + guardrails + "}}", "steps"},
                {"{\"variant\": " + green + ", \"steps\": [10, 100]}", "analysis"},
                {"{\"variant\": " + green + ", \"steps\": [10, 100], \"analysis\": {}}", "analysis.guardrails"},
                {"{\"variant\": " + green + ", \"steps\": [10, 100], \"analysis\": {\"guardrails\": {}}}", "guardrails"},
                {"{\"variant\": " + green + ", \"steps\": [10, 100], \"analysis\": {\"interval_ms\": 10, " + guardrails + "}}", "analysis.interval"},
                {"{\"variant\": " + green + ", \"steps\": [10, 100], \"analysis\": {\"min_samples\": 0, " + guardrails + "}}", "min_samples"},
                {"{\"variant\": " + green + ", \"steps\": [10, 100], \"analysis\": {\"guardrails\": {\"max_p99_latency_ms\": -5}}}", "max_p99_latency_ms"},
                {"{\"variant\": " + green + ", \"steps\": [10, 100], \"analysis\": {\"guardrails\": {\"signals\": [{\"signal\": \"acc\", \"bound\": \"around\", \"threshold\": 1}]}}}", "bound"},
                {"{\"steps\": [10, 100], \"analysis\": {" + guardrails + "}}", "variant"}};
        for (String[] bad : canaries) {
            refused(400, bad[1], server.json("POST", path + "/canary", bad[0]));
        }
        refused(404, "", server.get(path + "/rollout"));
        refused(409, "", server.send("POST", path + "/canary/pause", null, null));
        refused(404, "nowhere", server.json("POST", "/api/v1/endpoints/nowhere/canary", canaries[0][0].replace("[50, 10]", "[10, 100]")));
        JsonNode unchanged = ok(200, server.get(path));
        assertThat(unchanged.get("version").asLong()).isEqualTo(1);
        assertThat(unchanged.get("policy").get("kind").asText()).isEqualTo("single");
        assertThat(unchanged.get("variants").findValuesAsText("name")).containsExactly("blue");
    }

    @Test
    void the_routes_are_in_the_openapi_document_beside_predict() {
        JsonNode paths = ok(200, server.get("/api/docs")).get("paths");
        assertThat(paths.has("/api/v1/endpoints")).isTrue();
        assertThat(paths.get("/api/v1/endpoints/{name}").has("delete")).isTrue();
        assertThat(paths.get("/api/v1/endpoints/{name}/canary/promote").has("post")).isTrue();
        assertThat(paths.get("/api/v1/endpoints/{name}/compare").get("get").get("parameters").findValuesAsText("name"))
                .contains("a", "b", "metric");
        assertThat(paths.get("/api/v1/endpoints/{name}/predict").has("post")).isTrue();
    }
}
