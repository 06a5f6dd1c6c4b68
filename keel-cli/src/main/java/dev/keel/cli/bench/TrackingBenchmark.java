package dev.keel.cli.bench;

import dev.keel.api.tracking.LogBatch;
import dev.keel.api.tracking.Metric;
import dev.keel.api.tracking.NewExperiment;
import dev.keel.api.tracking.NewRun;
import dev.keel.api.tracking.Param;
import dev.keel.api.tracking.TrackingService;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The tracking benchmark of issue 2: a Keel server on a fresh store, driven through its HTTP
 * API — writes by wrk (a separate process), reads by a sequential client — and the figures
 * printed beside the targets and MLflow 2.17.2's figures measured on the same kind of machine.
 */
public final class TrackingBenchmark {
    private static final Actor BENCH = new Actor("bench");

    private final String storeUrl;
    private final int seconds;
    private final int searchRuns;
    private final int historyPoints;
    private final PrintStream out;
    private final TrackingApi api;

    /** {@code storeUrl}: null for SQLite, else a PostgreSQL server on which each round makes its own database. */
    public TrackingBenchmark(String storeUrl, TrackingApi api, int seconds, int searchRuns, int historyPoints,
                             PrintStream out) {
        this.storeUrl = storeUrl;
        this.api = api;
        this.seconds = seconds;
        this.searchRuns = searchRuns;
        this.historyPoints = historyPoints;
        this.out = out;
    }

    public List<Figure> run() throws IOException, InterruptedException {
        Wrk wrk = Wrk.locate();
        List<Figure> figures = new ArrayList<>();
        try (FreshStore fresh = FreshStore.create(storeUrl);
             KeelPlatform platform = KeelPlatform.open(fresh.config());
             KeelServer server = KeelServer.start(platform, "127.0.0.1", 0)) {
            TrackingService tracking = platform.tracking();
            URI base = server.uri();
            String store = storeUrl == null ? "SQLite" : "PostgreSQL";
            String experiment = tracking.createExperiment(BENCH,
                    NewExperiment.named("bench-" + System.currentTimeMillis())).experimentId();
            out.printf("Keel tracking benchmark on %s through the %s API, server %s, %d s per load%n", store,
                    api == TrackingApi.KEEL ? "native" : "MLflow", base, seconds);

            String batchRun = tracking.createRun(BENCH, NewRun.in(experiment).named("log-batch")).info().runId();
            progress("log-batch: warm-up");
            wrk.run(base, 2, 4, Math.max(2, seconds / 3), "batch", api.flavor(), batchRun, "1000");
            progress("log-batch: 1000 metrics per request, 4 connections");
            WrkResult batch = wrk.run(base, 2, 4, seconds, "batch", api.flavor(), batchRun, "1000");
            batch.requireClean("log-batch");
            figures.add(new Figure("log-batch, 1000 metrics/request, 4 clients", "metrics/s",
                    batch.requestsPerSecond() * 1000, 250_000, true, 24_300));
            figures.add(new Figure("log-batch p99", "ms", batch.p99Millis(), 50, false, 922));

            String metricRun = tracking.createRun(BENCH, NewRun.in(experiment).named("log-metric")).info().runId();
            progress("log-metric: warm-up");
            wrk.run(base, 2, 8, Math.max(2, seconds / 3), "metric", api.flavor(), metricRun);
            progress("log-metric: single metric per request, 8 keep-alive connections");
            WrkResult single = wrk.run(base, 2, 8, seconds, "metric", api.flavor(), metricRun);
            single.requireClean("log-metric");
            figures.add(new Figure("single log-metric, 8 clients", "requests/s",
                    single.requestsPerSecond(), 5_000, true, 269));
            figures.add(new Figure("single log-metric p99", "ms", single.p99Millis(), 10, false, 437));

            String searchExperiment = seedSearchRuns(tracking);
            WrkResult search = timeSearch(wrk, base, searchExperiment);
            figures.add(new Figure("search " + searchRuns + " runs (metric+param filter, order by metric, 100 results) p50",
                    "ms", search.p50Millis(), 10, false, 97));

            String historyRun = seedHistory(tracking, experiment);
            WrkResult history = timeHistory(wrk, base, historyRun);
            figures.add(new Figure("metric history, " + historyPoints + " points, p50", "ms",
                    history.p50Millis(), 150, false, 4_900));
        }
        printTable(figures);
        return figures;
    }

    /**
     * Runs the whole benchmark {@code repeats} times, each on a fresh store, and reports the
     * median of every figure: one run on a noisy 2-core machine says little.
     */
    public List<Figure> medianOf(int repeats) throws IOException, InterruptedException {
        List<List<Figure>> rounds = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            System.err.printf("round %d of %d%n", i + 1, repeats);
            rounds.add(run());
        }
        List<Figure> medians = new ArrayList<>();
        for (int f = 0; f < rounds.get(0).size(); f++) {
            int index = f;
            double[] values = rounds.stream().mapToDouble(round -> round.get(index).value()).sorted().toArray();
            Figure first = rounds.get(0).get(f);
            medians.add(new Figure(first.name(), first.unit(), values[values.length / 2], first.target(),
                    first.higherIsBetter(), first.mlflow()));
        }
        if (repeats > 1) {
            out.println();
            out.println("median of " + repeats + " rounds:");
            printTable(medians);
        }
        return medians;
    }

    private String seedSearchRuns(TrackingService tracking) {
        String experiment = tracking.createExperiment(BENCH,
                NewExperiment.named("bench-search-" + System.currentTimeMillis())).experimentId();
        SplittableRandom random = new SplittableRandom(42);
        long started = System.nanoTime();
        for (int i = 0; i < searchRuns; i++) {
            String runId = tracking.createRun(BENCH, NewRun.in(experiment)).info().runId();
            List<Metric> metrics = new ArrayList<>(20);
            for (int m = 0; m < 20; m++) {
                metrics.add(new Metric("m" + m, random.nextDouble(), 1_700_000_000_000L + i, 0));
            }
            List<Param> params = new ArrayList<>(10);
            for (int p = 0; p < 10; p++) {
                params.add(new Param("p" + p, "v" + random.nextInt(10)));
            }
            tracking.logBatch(BENCH, runId, new LogBatch(metrics, params, List.of()));
            if ((i + 1) % 1000 == 0) {
                progress(String.format(Locale.ROOT, "search: seeded %,d of %,d runs (%.1f s)",
                        i + 1, searchRuns, (System.nanoTime() - started) / 1e9));
            }
        }
        return experiment;
    }

    private WrkResult timeSearch(Wrk wrk, URI base, String experiment) throws IOException, InterruptedException {
        String body = api.searchBody(experiment, "metrics.m0 > 0.5 AND params.p0 = 'v3'", "metrics.m1 DESC", 100);
        HttpRequest request = HttpRequest.newBuilder(base.resolve(api.searchPath()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        check(request, response -> countOf(response, "\"run_id\"") > 0);
        Path file = Files.createTempFile("keel-bench-search-", ".json");
        Files.writeString(file, body);
        progress("search: one client, queries back to back");
        try {
            return wrk.run(base, 1, 1, seconds, "fixed", "POST", api.searchPath(), file.toString())
                    .requireClean("search");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private String seedHistory(TrackingService tracking, String experiment) {
        String runId = tracking.createRun(BENCH, NewRun.in(experiment).named("history")).info().runId();
        List<Metric> points = new ArrayList<>(1000);
        for (int step = 0; step < historyPoints; step++) {
            points.add(new Metric("loss", 1.0 / (step + 1), 1_700_000_000_000L + step, step));
            if (points.size() == 1000) {
                tracking.logBatch(BENCH, runId, LogBatch.ofMetrics(points));
                points.clear();
            }
        }
        if (!points.isEmpty()) {
            tracking.logBatch(BENCH, runId, LogBatch.ofMetrics(points));
        }
        return runId;
    }

    private WrkResult timeHistory(Wrk wrk, URI base, String runId) throws IOException, InterruptedException {
        String path = api.historyPath(runId, "loss", historyPoints);
        String last = "\"step\":" + (historyPoints - 1);
        check(HttpRequest.newBuilder(base.resolve(path)).GET().build(), response -> response.contains(last));
        progress("history: one client, reads of " + historyPoints + " points back to back");
        return wrk.run(base, 1, 1, seconds, "fixed", "GET", path).requireClean("history");
    }

    /** One request through a plain HTTP client, to know the timed requests answer what they should. */
    private static void check(HttpRequest request, java.util.function.Predicate<String> valid)
            throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200 || !valid.test(response.body())) {
            throw new IllegalStateException(request.uri() + " answered " + response.statusCode() + ": "
                    + response.body().substring(0, Math.min(300, response.body().length())));
        }
    }

    private static int countOf(String text, String needle) {
        int count = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
            count++;
        }
        return count;
    }

    private void progress(String line) {
        System.err.println("  … " + line);
    }

    private void printTable(List<Figure> figures) {
        out.println();
        out.printf("%-78s %14s %10s %12s %10s  %s%n", "figure", "Keel", "target", "MLflow 2.17.2", "vs MLflow", "");
        for (Figure figure : figures) {
            out.printf(Locale.ROOT, "%-78s %14s %10s %12s %9.1fx  %s%n", figure.name() + " (" + figure.unit() + ")",
                    format(figure.value()), format(figure.target()), format(figure.mlflow()),
                    figure.timesBetterThanMlflow(), figure.meetsTarget() ? "meets target" : "MISSES target");
        }
    }

    private static String format(double value) {
        return value >= 100 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.2f", value);
    }

    /** One measured figure beside its target and MLflow's; higher is better when {@code higherIsBetter}. */
    public record Figure(String name, String unit, double value, double target, boolean higherIsBetter, double mlflow) {
        public boolean meetsTarget() {
            return higherIsBetter ? value >= target : value <= target;
        }

        public double timesBetterThanMlflow() {
            return higherIsBetter ? value / mlflow : mlflow / value;
        }
    }

}
