package dev.keel.cli.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Live traffic for the demo: a few client threads sending single-row Open Inference Protocol
 * requests for the held-out applicants to an endpoint over real HTTP, each as soon as its last
 * one was answered, and what they saw: status, latency, and the variant that answered (the
 * {@code Keel-Variant} header).
 *
 * <p>Samples are kept whole (a few thousand a second for a few seconds), so the same record
 * answers the live display and the questions asked afterwards, such as how many requests sent
 * after the rollback failed.
 */
final class InferenceTraffic implements AutoCloseable {
    static final String VARIANT_HEADER = "Keel-Variant";
    private static final long WINDOW_NANOS = Duration.ofSeconds(1).toNanos();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    /** One request: when it was sent and answered (System.nanoTime), its status (-1: no answer), who answered. */
    private record Sample(long sentNanos, long doneNanos, int status, String variant) {
        long latencyNanos() {
            return doneNanos - sentNanos;
        }

        boolean failed() {
            return status < 0 || status >= 500;
        }
    }

    /**
     * Requests counted by outcome.
     *
     * @param failures   answered 5xx, or not answered at all
     * @param unanswered of the failures, those with no answer: the connection dropped or timed out
     * @param rejected   answered 4xx: the request was refused, which the demo's requests never should be
     * @param byVariant  answered requests by the variant that answered them
     */
    record Tally(long requests, long failures, long unanswered, long rejected, Map<String, Long> byVariant,
                 double requestsPerSecond, Duration p99) {

        /** Failures the server answered (5xx): what routing and the models did, apart from the network. */
        long answeredFailures() {
            return failures - unanswered;
        }
    }

    private final HttpClient client;
    private final HttpRequest[] requests;
    private final List<Thread> threads = new ArrayList<>();
    private final long startedNanos = System.nanoTime();
    private final List<Sample> samples = new ArrayList<>();
    private volatile boolean running = true;
    private volatile long stoppedNanos = Long.MAX_VALUE;
    private long failures;
    private String firstFailure;
    private boolean firstFailureUnanswered;
    private String firstUnanswered;

    private InferenceTraffic(URI url, List<Applicant> applicants) {
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(REQUEST_TIMEOUT).build();
        this.requests = applicants.stream().map(applicant -> HttpRequest.newBuilder(url)
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body(applicant)))
                .build()).toArray(HttpRequest[]::new);
    }

    /** Starts {@code clients} threads sending to the OIP infer route of {@code endpoint} on {@code server}. */
    static InferenceTraffic start(URI server, String endpoint, List<Applicant> applicants, int clients) {
        if (applicants.isEmpty()) {
            throw new IllegalArgumentException("traffic needs at least one applicant to send");
        }
        InferenceTraffic traffic = new InferenceTraffic(server.resolve("/v2/models/" + endpoint + "/infer"), applicants);
        for (int i = 0; i < clients; i++) {
            int first = i;
            Thread thread = new Thread(() -> traffic.send(first, clients), "keel-demo-client-" + i);
            thread.setDaemon(true);
            traffic.threads.add(thread);
            thread.start();
        }
        return traffic;
    }

    /** An OIP request for one applicant: one FP64 tensor of one value per feature, as the model's signature names them. */
    static String body(Applicant applicant) {
        double[] values = applicant.features();
        List<String> inputs = new ArrayList<>(values.length);
        for (int i = 0; i < values.length; i++) {
            inputs.add("{\"name\":\"" + Applicant.FEATURE_NAMES.get(i) + "\",\"shape\":[1],\"datatype\":\"FP64\",\"data\":["
                    + values[i] + "]}");
        }
        return inputs.stream().collect(Collectors.joining(",", "{\"inputs\":[", "]}"));
    }

    private void send(int first, int stride) {
        for (int next = first; running; next += stride) {
            HttpRequest request = requests[next % requests.length];
            long sent = System.nanoTime();
            int status = -1;
            String variant = null;
            String body = null;
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                status = response.statusCode();
                variant = response.headers().firstValue(VARIANT_HEADER).orElse(null);
                body = response.body();
            } catch (IOException e) {
                body = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            record(new Sample(sent, System.nanoTime(), status, variant), body);
        }
    }

    private synchronized void record(Sample sample, String body) {
        samples.add(sample);
        if (sample.failed()) {
            failures++;
            // what the server answered tells more than a dropped connection: keep the first answer, if any
            if (sample.status() < 0 && firstUnanswered == null) {
                firstUnanswered = body;
            }
            if (firstFailure == null || (firstFailureUnanswered && sample.status() >= 0)) {
                firstFailure = (sample.status() < 0 ? "no answer: " : sample.status() + " ") + body;
                firstFailureUnanswered = sample.status() < 0;
            }
        }
    }

    /** The last second's rate and p99, and the totals so far, with the endpoint's split as {@code split}. */
    synchronized TrafficReading reading(String split) {
        long now = System.nanoTime();
        List<Long> latencies = new ArrayList<>();
        for (int i = samples.size() - 1; i >= 0 && samples.get(i).doneNanos() >= now - WINDOW_NANOS; i--) {
            latencies.add(samples.get(i).latencyNanos());
        }
        double seconds = Math.min(WINDOW_NANOS, now - startedNanos) / 1e9;
        long[] sorted = latencies.stream().mapToLong(Long::longValue).toArray();
        return new TrafficReading(split, Duration.ofNanos(now - startedNanos), samples.size(),
                seconds <= 0 ? 0 : latencies.size() / seconds, p99(sorted), failures);
    }

    /** Every request so far. */
    synchronized Tally tally() {
        return tally(samples, Duration.ofNanos(Math.min(System.nanoTime(), stoppedNanos) - startedNanos));
    }

    /** The requests sent from {@code from} until before {@code to} (System.nanoTime), and answered so far. */
    synchronized Tally sentBetween(long from, long to) {
        List<Sample> sent = samples.stream()
                .filter(sample -> sample.sentNanos() >= from && sample.sentNanos() < to).toList();
        return tally(sent, Duration.ofNanos(Math.max(0, Math.min(Math.min(to, stoppedNanos), System.nanoTime()) - from)));
    }

    /** The first failure the server answered (status and body), else the first dropped connection, or null: what a client of the failing variant was told. */
    synchronized String firstUnanswered() {
        return firstUnanswered;
    }

    synchronized String firstFailure() {
        return firstFailure;
    }

    private static Tally tally(List<Sample> samples, Duration over) {
        long failed = 0;
        long unanswered = 0;
        long rejected = 0;
        Map<String, Long> byVariant = new TreeMap<>();
        long[] latencies = new long[samples.size()];
        for (int i = 0; i < latencies.length; i++) {
            Sample sample = samples.get(i);
            latencies[i] = sample.latencyNanos();
            if (sample.failed()) {
                failed++;
                if (sample.status() < 0) {
                    unanswered++;
                }
            } else if (sample.status() >= 400) {
                rejected++;
            }
            if (sample.variant() != null) {
                byVariant.merge(sample.variant(), 1L, Long::sum);
            }
        }
        double seconds = over.toNanos() / 1e9;
        return new Tally(samples.size(), failed, unanswered, rejected, byVariant, seconds <= 0 ? 0 : samples.size() / seconds,
                p99(latencies));
    }

    private static Duration p99(long[] latencies) {
        if (latencies.length == 0) {
            return null;
        }
        Arrays.sort(latencies);
        int rank = (int) Math.ceil(0.99 * latencies.length) - 1;
        return Duration.ofNanos(latencies[Math.max(0, rank)]);
    }

    /** Stops sending: each client finishes the request it is waiting for. */
    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        for (Thread thread : threads) {
            try {
                thread.join(REQUEST_TIMEOUT.toMillis() + 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        stoppedNanos = System.nanoTime();
    }
}
