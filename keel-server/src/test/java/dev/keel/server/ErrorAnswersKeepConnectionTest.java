package dev.keel.server;

import dev.keel.api.registry.NewRegisteredModel;
import dev.keel.api.serving.AbTest;
import dev.keel.api.serving.NewEndpoint;
import dev.keel.api.serving.Variant;
import dev.keel.core.Actor;
import dev.keel.registry.TrainedModel;
import dev.keel.server.inference.InferenceLimits;
import dev.keel.server.inference.InferenceRoutes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A failing model, and every other error answer (400, 404, 413, 500), over keep-alive HTTP: each
 * request gets its whole answer with its JSON error body, and the connection it came on serves
 * the next request. The model fails inside ONNX Runtime ({@link OneRowOnlyModel}) on two-row
 * requests, as the demo's fixed-batch canary does, and it is one variant of an A/B split whose
 * other variant keeps answering.
 *
 * <p>Errors found before the body is read (no such route, a bad version in the path, a body
 * declared too large) are sent with large bodies: Jetty throws away only a few kilobytes of an
 * unread body before it closes the socket, so without the server reading the rest the client
 * got a reset instead of the answer ("header parser received no bytes", "Broken pipe").
 */
@Timeout(300)  // a safety net against a hang, not a measurement
class ErrorAnswersKeepConnectionTest {
    private static final Actor ALICE = new Actor("alice");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY_BYTES = 4_096;
    /** Far more than Jetty throws away on its own (a few KB), far less than the most the server reads (64 MB). */
    private static final int LARGE = 4 * 1024 * 1024;
    private static final int CLIENTS = 4;
    private static final int ROUNDS = 30;

    @TempDir
    static Path dir;
    private static TestServer keel;

    /** One kind of request, and what the server must answer it with. */
    private enum Ask {
        ONE_ROW("/v2/models/split/infer", rows(1, 0)),
        TWO_ROWS_SPLIT("/v2/models/split/infer", rows(2, 0)),
        TWO_ROWS_FAILING_VERSION("/v2/models/one-row/versions/1/infer", rows(2, 0)),
        TWO_ROWS_SCORING("/endpoints/split/invocations", "{\"instances\": [[0.9, 0.1, 0.5], [0.1, 0.9, 0.2]]}"),
        MALFORMED_OIP("/v2/models/split/infer", "{\"inputs\": ["),
        MALFORMED_SCORING("/endpoints/split/invocations", "{\"instances\": "),
        MALFORMED_API("/api/v1/experiments", "{\"name\": "),
        UNKNOWN_ENDPOINT("/v2/models/nowhere/infer", rows(1, 0)),
        // refused before the body is read
        UNKNOWN_ROUTE("/v2/nothing/here", rows(1, LARGE)),
        BAD_VERSION("/v2/models/one-row/versions/x/infer", rows(1, LARGE)),
        OVERSIZED_OIP("/v2/models/split/infer", rows(1, LARGE)),
        OVERSIZED_SCORING("/endpoints/split/invocations", "{\"instances\": [[1, 2, 3]], \"pad\": \""
                + "x".repeat(LARGE) + "\"}");

        final String path;
        final String body;

        Ask(String path, String body) {
            this.path = path;
            this.body = body;
        }

        /** Throws when {@code status} and {@code body} are not an answer this request may get. */
        void check(int status, String variant, String body) throws IOException {
            String what = this + " answered " + status + " " + body;
            JsonNode json = JSON.readTree(body);
            switch (this) {
                case ONE_ROW -> {
                    assertThat(status).as(what).isEqualTo(200);
                    assertThat(json.path("outputs").size()).as(what).isPositive();
                }
                case TWO_ROWS_SPLIT -> {
                    // the stable variant answers; the failing one is a 500 for this request only
                    if (status == 200) {
                        assertThat(variant).as(what).isEqualTo("stable");
                    } else {
                        assertThat(status).as(what).isEqualTo(500);
                        assertThat(json.path("error").asText()).as(what).contains("inference failed");
                    }
                }
                case TWO_ROWS_FAILING_VERSION -> {
                    assertThat(status).as(what).isEqualTo(500);
                    assertThat(json.path("error").asText()).as(what).contains("inference failed");
                }
                case TWO_ROWS_SCORING -> {
                    if (status == 200) {
                        assertThat(variant).as(what).isEqualTo("stable");
                    } else {
                        assertThat(status).as(what).isEqualTo(500);
                        assertThat(json.path("error_code").asText()).as(what).isEqualTo("INTERNAL_ERROR");
                    }
                }
                case MALFORMED_OIP -> {
                    assertThat(status).as(what).isEqualTo(400);
                    assertThat(json.path("error").asText()).as(what).contains("JSON");
                }
                case MALFORMED_SCORING, MALFORMED_API -> {
                    // the scoring reader says INVALID_PARAMETER_VALUE, the API's JSON bodies BAD_REQUEST: both a 400
                    assertThat(status).as(what).isEqualTo(400);
                    assertThat(json.path("error_code").asText()).as(what).isIn("INVALID_PARAMETER_VALUE", "BAD_REQUEST");
                    assertThat(json.path("message").asText()).as(what).contains("JSON");
                }
                case UNKNOWN_ENDPOINT -> {
                    assertThat(status).as(what).isEqualTo(404);
                    assertThat(json.path("error").asText()).as(what).contains("nowhere");
                }
                case UNKNOWN_ROUTE -> {
                    assertThat(status).as(what).isEqualTo(404);
                    assertThat(json.path("error_code").asText()).as(what).isEqualTo("ENDPOINT_NOT_FOUND");
                }
                case BAD_VERSION -> {
                    assertThat(status).as(what).isEqualTo(400);
                    assertThat(json.path("error").asText()).as(what).contains("'version'");
                }
                case OVERSIZED_OIP -> {
                    assertThat(status).as(what).isEqualTo(413);
                    assertThat(json.path("error").asText()).as(what).contains(Integer.toString(MAX_BODY_BYTES));
                }
                case OVERSIZED_SCORING -> {
                    assertThat(status).as(what).isEqualTo(413);
                    assertThat(json.path("error_code").asText()).as(what).isEqualTo("PAYLOAD_TOO_LARGE");
                }
                default -> throw new AssertionError("unchecked request kind " + this);
            }
        }
    }

    /** An OIP request of {@code n} rows for input [-1, 3], padded with a parameter of {@code pad} characters. */
    private static String rows(int n, int pad) {
        List<String> rows = Collections.nCopies(n, "0.9, 0.1, 0.5");
        return "{\"inputs\": [{\"name\": \"input\", \"shape\": [" + n + ", 3], \"datatype\": \"FP32\", \"data\": ["
                + String.join(", ", rows) + "]}]" + (pad == 0 ? "" : ", \"parameters\": {\"pad\": \"" + "x".repeat(pad) + "\"}")
                + "}";
    }

    @BeforeAll
    static void start() throws IOException {
        keel = TestServer.start(ServerOptions.defaults().withInferenceLimits(new InferenceLimits(MAX_BODY_BYTES, 1_000, 100)));
        register("credit", TrainedModel.onnx());
        register("one-row", OneRowOnlyModel.onnx());
        keel.platform.serving().endpoints().createEndpoint(ALICE, new NewEndpoint("split",
                List.of(Variant.of("stable", "models:/credit/1"), Variant.of("canary", "models:/one-row/1")),
                new AbTest(Map.of("stable", 50.0, "canary", 50.0)), null));
    }

    private static void register(String name, byte[] onnx) throws IOException {
        Path model = Files.createDirectories(dir.resolve(name));
        Files.write(model.resolve("model.onnx"), onnx);
        keel.platform.registry().createRegisteredModel(ALICE, NewRegisteredModel.named(name));
        keel.platform.registry().createModelVersionFromDirectory(ALICE, name, model, null, List.of());
    }

    @AfterAll
    static void stop() {
        keel.close();
    }

    @Test
    void every_error_is_answered_whole_and_the_connection_serves_the_next_request() throws IOException {
        // one connection that writes each whole body before reading, every kind of request in turn and a
        // good one after each: every answer must arrive, and none may close the connection
        try (RawHttpConnection connection = new RawHttpConnection(keel.server.port())) {
            for (Ask ask : Ask.values()) {
                for (Ask next : List.of(ask, Ask.ONE_ROW)) {
                    connection.send("POST", next.path, next.body);
                    RawHttpConnection.Answer answer = connection.read();
                    next.check(answer.status(), answer.headers().get("keel-variant"), answer.body());
                    assertThat(answer.announcesClose()).as(next + " announced a close: " + answer.headers()).isFalse();
                }
            }
        }
    }

    @Test
    void a_body_too_large_to_read_even_to_throw_away_gets_its_413_then_the_close() throws IOException {
        // 100 MB declared: more than the server reads to keep a connection (64 MB), so it reads none of it
        String head = "Content-Type: application/json\r\nContent-Length: " + 100L * 1024 * 1024 + "\r\n";
        try (RawHttpConnection connection = new RawHttpConnection(keel.server.port())) {
            // the way to send such a body: ask first, and the answer comes before any byte of it is sent
            connection.sendHead("POST", Ask.OVERSIZED_OIP.path, head + "Expect: 100-continue\r\n");
            RawHttpConnection.Answer answer = connection.read();
            Ask.OVERSIZED_OIP.check(answer.status(), null, answer.body());
            assertThat(answer.announcesClose()).as(answer.headers().toString()).isTrue();
            assertThat(connection.closedByServer()).as("closed after the answer").isTrue();
        }
        try (RawHttpConnection connection = new RawHttpConnection(keel.server.port())) {
            // without asking: a client that stops sending when it is answered still reads the 413 first
            connection.sendHead("POST", Ask.OVERSIZED_OIP.path, head);
            connection.sendBytes("{\"inputs\": [], \"pad\": \"".getBytes(StandardCharsets.UTF_8));
            RawHttpConnection.Answer answer = connection.read();
            Ask.OVERSIZED_OIP.check(answer.status(), null, answer.body());
            assertThat(answer.announcesClose()).as(answer.headers().toString()).isTrue();
            assertThat(connection.closedByServer()).as("closed after the answer").isTrue();
        }
    }

    @Test
    void concurrent_keep_alive_clients_get_every_answer_and_the_500s_are_counted() throws Exception {
        long errorsBefore = canaryErrors();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        AtomicLong serverErrors = new AtomicLong();
        AtomicLong stableAnswers = new AtomicLong();
        List<String> unanswered = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int offset = c;
                clients.add(pool.submit(() -> {
                    for (int round = 0; round < ROUNDS; round++) {
                        // each client alternates good requests with every kind of failing one, in its own order
                        Ask failing = Ask.values()[1 + (round + offset) % (Ask.values().length - 1)];
                        for (Ask ask : List.of(Ask.ONE_ROW, failing)) {
                            HttpRequest request = HttpRequest.newBuilder(keel.uri(ask.path))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(ask.body)).build();
                            HttpResponse<String> response;
                            try {
                                response = client.send(request, HttpResponse.BodyHandlers.ofString());
                            } catch (IOException e) {
                                unanswered.add(ask + ": " + e);
                                continue;
                            }
                            String variant = response.headers().firstValue(InferenceRoutes.VARIANT_HEADER).orElse(null);
                            ask.check(response.statusCode(), variant, response.body());
                            if (response.statusCode() == 500) {
                                serverErrors.incrementAndGet();
                            } else if ("stable".equals(variant)) {
                                stableAnswers.incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> each : clients) {
                each.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(unanswered).as("requests that got no answer").isEmpty();
        assertThat(serverErrors.get()).as("the failing model failed some requests").isPositive();
        // every 500 a client saw is one /metrics counts against the failing model, through the split or directly
        assertThat(canaryErrors() - errorsBefore).isEqualTo(serverErrors.get());
        assertThat(stableAnswers.get()).as("the stable variant kept answering").isPositive();
        assertThat(keel.get("/health").statusCode()).isEqualTo(200);
    }

    /** Errors /metrics counts against the failing model: as the split's canary variant, and called directly. */
    private static long canaryErrors() {
        String metrics = keel.get("/metrics").body();
        return counter(metrics, "endpoint=\"split\",model=\"\",outcome=\"error\",variant=\"canary\"")
                + counter(metrics, "endpoint=\"\",model=\"one-row/1\",outcome=\"error\",variant=\"\"");
    }

    private static long counter(String metrics, String labels) {
        Matcher value = Pattern.compile("keel_inference_requests_total\\{" + Pattern.quote(labels) + "} ([0-9.E]+)")
                .matcher(metrics);
        return value.find() ? (long) Double.parseDouble(value.group(1)) : 0;
    }
}
