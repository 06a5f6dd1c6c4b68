package dev.keel.server;

import dev.keel.api.tracking.NewRun;
import dev.keel.api.tracking.TrackingService;
import dev.keel.core.Actor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;

/** close() lets a request in flight finish; a batch cut off by the timeout leaves nothing behind. */
@Timeout(120)  // a safety net against a hang, not a measurement
class GracefulShutdownTest {
    private static final int METRICS = 1000;

    /** A batch body that sends its first half, then waits for {@code release} before sending the rest. */
    private static final class HeldBatch {
        final CountDownLatch release = new CountDownLatch(1);
        final byte[] head;
        final byte[] tail;

        HeldBatch() {
            StringBuilder json = new StringBuilder("{\"metrics\": [");
            for (int i = 0; i < METRICS; i++) {
                json.append(i == 0 ? "" : ",").append("{\"key\": \"loss\", \"value\": ").append(i)
                        .append(", \"timestamp\": ").append(1000 + i).append(", \"step\": ").append(i).append('}');
            }
            byte[] all = json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
            head = java.util.Arrays.copyOfRange(all, 0, all.length / 2);
            tail = java.util.Arrays.copyOfRange(all, all.length / 2, all.length);
        }

        InputStream body() {
            InputStream waitThenTail = new InputStream() {
                private InputStream tailStream;

                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    if (tailStream == null) {
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            throw new IOException(e);
                        }
                        tailStream = new ByteArrayInputStream(tail);
                    }
                    return tailStream.read(buffer, offset, length);
                }
            };
            return new SequenceInputStream(new ByteArrayInputStream(head), waitThenTail);
        }
    }

    private static CompletableFuture<HttpResponse<String>> sendHeld(TestServer keel, String runId, HeldBatch batch) {
        HttpRequest request = HttpRequest.newBuilder(keel.uri("/api/v1/runs/" + runId + "/batch"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(batch::body))
                .build();
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitInFlight(KeelServer server) throws InterruptedException {
        while (server.requestsInFlight() == 0) {
            Thread.sleep(5);
        }
    }

    private static void awaitRefusingConnections(KeelServer server) throws InterruptedException {
        while (true) {
            try (Socket probe = new Socket("127.0.0.1", server.port())) {
                Thread.sleep(5);
            } catch (ConnectException refused) {
                return;
            } catch (IOException other) {
                Thread.sleep(5);
            }
        }
    }

    @Test
    void a_request_in_flight_when_close_starts_still_completes() throws Exception {
        try (TestServer keel = TestServer.start()) {
            TrackingService tracking = keel.platform.tracking();
            String runId = tracking.createRun(Actor.LOCAL, NewRun.in("0")).info().runId();
            HeldBatch batch = new HeldBatch();
            CompletableFuture<HttpResponse<String>> response = sendHeld(keel, runId, batch);
            awaitInFlight(keel.server);

            CompletableFuture<Void> closing = CompletableFuture.runAsync(keel.server::close);
            awaitRefusingConnections(keel.server);
            assertThat(closing).isNotDone();
            batch.release.countDown();

            assertThat(response.get().statusCode()).as(response.get().body()).isEqualTo(204);
            closing.get();
            assertThat(tracking.getMetricHistory(Actor.LOCAL, runId, "loss", 0, null).items()).hasSize(METRICS);
        }
    }

    @Test
    void a_batch_cut_off_by_the_shutdown_timeout_is_not_stored_at_all() throws Exception {
        try (TestServer keel = TestServer.start(ServerOptions.defaults().withShutdownTimeout(Duration.ofMillis(200)))) {
            TrackingService tracking = keel.platform.tracking();
            String runId = tracking.createRun(Actor.LOCAL, NewRun.in("0")).info().runId();
            HeldBatch batch = new HeldBatch();
            CompletableFuture<HttpResponse<String>> response = sendHeld(keel, runId, batch);
            awaitInFlight(keel.server);

            keel.server.close();  // returns once the timeout has passed with the batch still held
            // the connector is gone before the handler may go on: its answer has nowhere to go
            awaitRefusingConnections(keel.server);
            batch.release.countDown();

            // the client is never told the batch was taken: its connection is cut, or it hears an error (the body
            // read that the stop interrupts surfaces as a 400 naming the unreadable body)
            try {
                HttpResponse<String> answered = response.get();
                assertThat(answered.statusCode()).as(answered.body()).isGreaterThanOrEqualTo(400);
            } catch (ExecutionException cut) {
                assertThat(cut.getCause()).isInstanceOf(IOException.class);
            }
            assertThat(tracking.getRun(Actor.LOCAL, runId).data().metrics()).isEmpty();
        }
    }
}
