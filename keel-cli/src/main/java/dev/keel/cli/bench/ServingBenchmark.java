package dev.keel.cli.bench;

import dev.keel.api.registry.NewRegisteredModel;
import dev.keel.api.serving.AbTest;
import dev.keel.api.serving.CanaryAnalysis;
import dev.keel.api.serving.CanaryStart;
import dev.keel.api.serving.EndpointService;
import dev.keel.api.serving.Guardrails;
import dev.keel.api.serving.NewEndpoint;
import dev.keel.api.serving.Single;
import dev.keel.api.serving.Variant;
import dev.keel.core.Actor;
import dev.keel.server.KeelPlatform;
import dev.keel.server.KeelServer;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The serving benchmark of issue 5, side by side in one run: the floor (a bare Javalin handler
 * calling ONNX Runtime, {@link BareOnnxServer}) and a full Keel server — OIP V2 and MLflow's
 * {@code /invocations} through a single-variant endpoint, OIP through a 10% canary and a 50/50
 * A/B test — each driven in turn by wrk (a separate process, 2 threads, 8 keep-alive
 * connections) with the same request again and again, single rows and 100 rows. Both servers
 * live in this JVM but only one is loaded at a time; after an untimed warm-up round, each round
 * runs every load in 2-second slices, the loads taking turns, and the medians over rounds are
 * printed beside the floor and the targets. The 100-models and batching figures are separate suites ({@code keel bench models},
 * {@code keel bench batching}).
 */
public final class ServingBenchmark {
    private static final Actor BENCH = new Actor("bench");
    private static final int CONNECTIONS = 8;
    private static final int THREADS = 2;
    /** How long one slice of a load runs: a round splits each load's seconds into slices of about this. */
    private static final int SLICE_SECONDS = 2;
    /** The loads of a round, in the order they run (the names {@code --only} takes). */
    public static final List<String> LOADS = List.of("floor 1", "oip 1", "invocations 1", "canary 1", "ab 1",
            "floor 100", "oip 100");

    private final int seconds;
    private final PrintStream out;
    private final java.util.Set<String> only;

    /** {@code only}: the loads to run, by name ("floor 1", "oip 1", …; empty: all), e.g. to profile one of them. */
    public ServingBenchmark(int seconds, java.util.Set<String> only, PrintStream out) {
        this.seconds = seconds;
        this.only = java.util.Set.copyOf(only);
        this.out = out;
    }

    /** One load: who answers, where, with what body. */
    private record Phase(String name, URI base, String path, Path body) {
    }

    /**
     * What one load measured: wrk's figures, and the CPU time this JVM (the server under load;
     * the other one idles) spent per request, and the bytes its threads allocated per request —
     * figures the other work on a shared machine disturbs far less than throughput, because they
     * count the server's own cycles and garbage only.
     */
    private record Load(WrkResult wrk, double cpuMicrosPerRequest, double allocatedKbPerRequest) {
        double requestsPerSecond() {
            return wrk.requestsPerSecond();
        }
    }

    /**
     * One load's slices in a round, added up: requests over the time they took, CPU and
     * allocation per request over all of them, and the median of the slices' p99 (percentiles
     * do not add up; the median keeps one disturbed slice from standing for the round).
     */
    private static final class Slices {
        private final List<WrkResult> results = new ArrayList<>();
        private long cpuNanos;
        private long allocatedBytes;

        void add(WrkResult result, long cpu, long allocated) {
            results.add(result);
            cpuNanos += cpu;
            allocatedBytes += allocated;
        }

        Load total() {
            long requests = results.stream().mapToLong(WrkResult::requests).sum();
            long micros = results.stream().mapToLong(WrkResult::durationMicros).sum();
            double[] p99 = results.stream().mapToDouble(WrkResult::p99Millis).sorted().toArray();
            double[] p50 = results.stream().mapToDouble(WrkResult::p50Millis).sorted().toArray();
            double[] p90 = results.stream().mapToDouble(WrkResult::p90Millis).sorted().toArray();
            WrkResult total = new WrkResult(requests, micros, 0, 0, middle(p50), middle(p90), middle(p99));
            return new Load(total, cpuNanos / 1000.0 / requests, allocatedBytes / 1024.0 / requests);
        }
    }

    public List<Figure> medianOf(int repeats) throws Exception {
        Wrk wrk = Wrk.locate();
        byte[] stable = BenchModel.trainOnnx(1);
        byte[] candidate = BenchModel.trainOnnx(2);
        Path oip1 = bodyFile(BenchModel.oipBody(1));
        Path oip100 = bodyFile(BenchModel.oipBody(100));
        Path mlflow1 = bodyFile(BenchModel.mlflowBody(1));
        List<Map<String, Load>> rounds = new ArrayList<>();
        try (BareOnnxServer floor = BareOnnxServer.start(stable);
             FreshStore fresh = FreshStore.create(null);
             KeelPlatform platform = KeelPlatform.open(fresh.config());
             KeelServer server = KeelServer.start(platform, "127.0.0.1", 0)) {
            createEndpoints(platform, stable, candidate);
            URI keel = server.uri();
            List<Phase> phases = java.util.stream.Stream.of(
                    new Phase("floor 1", floor.uri(), "/v2/models/bench/infer", oip1),
                    new Phase("oip 1", keel, "/v2/models/single/infer", oip1),
                    new Phase("invocations 1", keel, "/endpoints/single/invocations", mlflow1),
                    new Phase("canary 1", keel, "/v2/models/canary/infer", oip1),
                    new Phase("ab 1", keel, "/v2/models/ab/infer", oip1),
                    new Phase("floor 100", floor.uri(), "/v2/models/bench/infer", oip100),
                    new Phase("oip 100", keel, "/v2/models/single/infer", oip100))
                    .filter(phase -> only.isEmpty() || only.contains(phase.name())).toList();
            for (Phase phase : phases) {
                check(phase);
            }
            out.printf("Keel serving benchmark: floor %s, Keel %s; wrk -t%d -c%d, %d s per load, %d round(s)%n",
                    floor.uri(), keel, THREADS, CONNECTIONS, seconds, repeats);
            // an untimed round first: until the JIT has compiled every load's path, the first loads
            // measured the compiler (JVM CPU per request 3-4x the steady state) more than the server
            for (Phase phase : phases) {
                progress(String.format(Locale.ROOT, "warm-up: %s (load average %.2f)", phase.name(), loadAverage()));
                wrk.run(phase.base(), THREADS, CONNECTIONS, Math.max(5, seconds), "fixed", "POST", phase.path(),
                        phase.body().toString());
            }
            int slices = Math.max(1, seconds / SLICE_SECONDS);
            int sliceSeconds = Math.max(1, seconds / slices);
            for (int round = 0; round < repeats; round++) {
                // each load runs in slices, the loads taking turns: what the machine's other work
                // does to one minute of a round falls on every load alike, so loads compared with
                // one another (Keel with the floor, a router with a single variant) share it
                Map<String, Slices> measured = new LinkedHashMap<>();
                for (int slice = 0; slice < slices; slice++) {
                    for (Phase phase : phases) {
                        progress(String.format(Locale.ROOT, "round %d of %d, slice %d of %d: %s (load average %.2f)",
                                round + 1, repeats, slice + 1, slices, phase.name(), loadAverage()));
                        long cpuBefore = processCpuNanos();
                        long allocatedBefore = allocatedBytes();
                        WrkResult result = wrk.run(phase.base(), THREADS, CONNECTIONS, sliceSeconds, "fixed", "POST",
                                phase.path(), phase.body().toString());
                        long cpu = processCpuNanos() - cpuBefore;
                        long allocated = allocatedBytes() - allocatedBefore;
                        result.requireClean(phase.name());
                        measured.computeIfAbsent(phase.name(), name -> new Slices()).add(result, cpu, allocated);
                    }
                }
                Map<String, Load> results = new LinkedHashMap<>();
                measured.forEach((name, load) -> results.put(name, load.total()));
                rounds.add(results);
                if (repeats > 1) {
                    printTable("round " + (round + 1), figures(List.of(results)));
                }
            }
            if (!"canary".equals(platform.serving().endpoints().getEndpoint(BENCH, "canary").policy().kind())) {
                throw new IllegalStateException("the canary endpoint left its canary policy during the benchmark");
            }
        } finally {
            Files.deleteIfExists(oip1);
            Files.deleteIfExists(oip100);
            Files.deleteIfExists(mlflow1);
        }
        List<Figure> medians = figures(rounds);
        printTable(repeats > 1 ? "median of " + repeats + " rounds" : "", medians);
        out.printf(Locale.ROOT, "load average after the run: %.2f (%d cores)%n", loadAverage(),
                Runtime.getRuntime().availableProcessors());
        return medians;
    }

    /** {@code single}: one variant; {@code canary}: a rollout at 10% that does not move; {@code ab}: 50/50. */
    private static void createEndpoints(KeelPlatform platform, byte[] stable, byte[] candidate) throws IOException {
        platform.registry().createRegisteredModel(BENCH, NewRegisteredModel.named("bench"));
        BenchModel.register(platform.registry(), BENCH, "bench", stable);
        BenchModel.register(platform.registry(), BENCH, "bench", candidate);
        EndpointService endpoints = platform.serving().endpoints();
        endpoints.createEndpoint(BENCH, new NewEndpoint("single", List.of(Variant.of("main", "models:/bench/1")),
                new Single("main"), null));
        endpoints.createEndpoint(BENCH, new NewEndpoint("canary", List.of(Variant.of("stable", "models:/bench/1")),
                new Single("stable"), null));
        // analysed once a day with guardrails no healthy model breaks: the weight stays at 10% while measured
        endpoints.startCanary(BENCH, "canary", new CanaryStart(Variant.of("candidate", "models:/bench/2"),
                List.of(10.0), new CanaryAnalysis(Duration.ofHours(24), CanaryAnalysis.MAX_MIN_SAMPLES,
                CanaryAnalysis.MAX_INCONCLUSIVE_LIMIT, Guardrails.errorsAndLatency(100, Duration.ofHours(1)))));
        endpoints.createEndpoint(BENCH, new NewEndpoint("ab",
                List.of(Variant.of("a", "models:/bench/1"), Variant.of("b", "models:/bench/2")),
                new AbTest(Map.of("a", 50.0, "b", 50.0)), null));
    }

    private static List<Figure> figures(List<Map<String, Load>> rounds) {
        List<Figure> figures = new ArrayList<>();
        figures.add(figure(rounds, "OIP V2, 1 row, 8 connections", "requests/s", "oip 1", "floor 1",
                Load::requestsPerSecond, 15_000, true));
        figures.add(figure(rounds, "OIP V2, 1 row, p99", "ms", "oip 1", "floor 1", load -> load.wrk().p99Millis(), 4, false));
        figures.add(figure(rounds, "/invocations, dataframe_split, 1 row, 8 connections", "requests/s", "invocations 1",
                "floor 1", Load::requestsPerSecond, 15_000, true));
        figures.add(figure(rounds, "/invocations, 1 row, p99", "ms", "invocations 1", "floor 1",
                load -> load.wrk().p99Millis(), 4, false));
        figures.add(figure(rounds, "OIP V2, 100 rows, 8 connections", "rows/s", "oip 100", "floor 100",
                load -> load.requestsPerSecond() * 100, 400_000, true));
        figures.add(figure(rounds, "OIP V2, 100 rows, p99", "ms", "oip 100", "floor 100",
                load -> load.wrk().p99Millis(), Double.NaN, false));
        // what a request costs the server, without a target: CPU for every load, allocation for the unrouted ones
        List<PerRequest> costed = List.of(new PerRequest("OIP V2, 1 row", "oip 1", "floor 1"),
                new PerRequest("/invocations, 1 row", "invocations 1", "floor 1"),
                new PerRequest("OIP V2, 100 rows", "oip 100", "floor 100"),
                new PerRequest("OIP V2, 1 row, canary 10%", "canary 1", "floor 1"),
                new PerRequest("OIP V2, 1 row, A/B 50/50", "ab 1", "floor 1"));
        for (PerRequest load : costed) {
            figures.add(figure(rounds, "server CPU per request, " + load.label(), "µs", load.keel(), load.floor(),
                    Load::cpuMicrosPerRequest, Double.NaN, false));
        }
        for (PerRequest load : costed.subList(0, 3)) {
            figures.add(figure(rounds, "server allocation per request, " + load.label(), "KB", load.keel(), load.floor(),
                    Load::allocatedKbPerRequest, Double.NaN, false));
        }
        figures.add(routerCost(rounds, "canary 10% router cost vs single variant", "canary 1"));
        figures.add(routerCost(rounds, "A/B 50/50 router cost vs single variant", "ab 1"));
        figures.removeIf(java.util.Objects::isNull);
        return figures;
    }

    /** A load measured per request, named as its figures name it, beside the floor's load it is compared with. */
    private record PerRequest(String label, String keel, String floor) {
    }

    private static Figure figure(List<Map<String, Load>> rounds, String name, String unit, String keel, String floor,
                                 java.util.function.ToDoubleFunction<Load> measure, double target,
                                 boolean higherIsBetter) {
        if (!rounds.get(0).containsKey(keel)) {
            return null;
        }
        double floorValue = rounds.get(0).containsKey(floor)
                ? median(rounds, round -> measure.applyAsDouble(round.get(floor))) : Double.NaN;
        return new Figure(name, unit, median(rounds, round -> measure.applyAsDouble(round.get(keel))),
                floorValue, target, higherIsBetter);
    }

    /** Throughput lost against the single-variant endpoint in the same round, in percent (median over rounds). */
    private static Figure routerCost(List<Map<String, Load>> rounds, String name, String routed) {
        if (!rounds.get(0).containsKey(routed) || !rounds.get(0).containsKey("oip 1")) {
            return null;
        }
        return new Figure(name, "% throughput", median(rounds, round -> 100.0
                * (1 - round.get(routed).requestsPerSecond() / round.get("oip 1").requestsPerSecond())),
                Double.NaN, 5, false);
    }

    private static double median(List<Map<String, Load>> rounds,
                                 java.util.function.ToDoubleFunction<Map<String, Load>> value) {
        return middle(rounds.stream().mapToDouble(value).sorted().toArray());
    }

    /** The median of values sorted in ascending order. */
    private static double middle(double[] sorted) {
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    /** One request through a plain HTTP client first, to know the timed requests are answered as they should be. */
    private static void check(Phase phase) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(phase.base().resolve(phase.path()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofFile(phase.body())).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200 || !(response.body().contains("\"outputs\"")
                || response.body().contains("\"predictions\""))) {
            throw new IllegalStateException(phase.name() + ": " + request.uri() + " answered " + response.statusCode()
                    + ": " + response.body().substring(0, Math.min(300, response.body().length())));
        }
    }

    private static Path bodyFile(String body) throws IOException {
        Path file = Files.createTempFile("keel-bench-serving-", ".json");
        Files.writeString(file, body);
        return file;
    }

    /** CPU time of this whole JVM so far (all threads: request handling, JIT, GC). */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * Bytes allocated so far by every thread of this JVM, ended ones included: summing the live
     * threads' counts lost what a pool thread that ended mid-load had allocated, and once went
     * negative.
     */
    private static long allocatedBytes() {
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        return threads.getTotalThreadAllocatedBytes();
    }

    static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static void progress(String line) {
        System.err.println("  … " + line);
    }

    private void printTable(String title, List<Figure> figures) {
        out.println();
        if (!title.isEmpty()) {
            out.println(title + ":");
        }
        out.printf("%-60s %12s %12s %10s %10s  %s%n", "figure", "Keel", "floor", "Keel/floor", "target", "");
        for (Figure figure : figures) {
            out.printf(Locale.ROOT, "%-60s %12s %12s %10s %10s  %s%n", figure.name() + " (" + figure.unit() + ")",
                    format(figure.value()), format(figure.floor()),
                    Double.isNaN(figure.floor()) ? "" : String.format(Locale.ROOT, "%.2f", figure.value() / figure.floor()),
                    Double.isNaN(figure.target()) ? "-" : (figure.higherIsBetter() ? "≥ " : "≤ ") + format(figure.target()),
                    Double.isNaN(figure.target()) ? "" : figure.meetsTarget() ? "meets target" : "MISSES target");
        }
    }

    private static String format(double value) {
        if (Double.isNaN(value)) {
            return "";
        }
        return Math.abs(value) >= 100 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.2f", value);
    }

    /** One figure: Keel's median, the floor's (NaN when there is none), the target (NaN: shown, not judged). */
    public record Figure(String name, String unit, double value, double floor, double target, boolean higherIsBetter) {
        public boolean meetsTarget() {
            return Double.isNaN(target) || (higherIsBetter ? value >= target : value <= target);
        }
    }
}
