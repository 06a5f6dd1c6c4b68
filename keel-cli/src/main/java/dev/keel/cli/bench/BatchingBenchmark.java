package dev.keel.cli.bench;

import dev.keel.api.registry.NewRegisteredModel;
import dev.keel.api.serving.ModelReference;
import dev.keel.api.serving.NewEndpoint;
import dev.keel.api.serving.Single;
import dev.keel.api.serving.Variant;
import dev.keel.core.Actor;
import dev.keel.server.KeelPlatform;
import dev.keel.serving.Inference;
import dev.keel.serving.InferenceListener;
import dev.keel.serving.InputBinder;
import dev.keel.serving.batching.BatchingOptions;
import dev.keel.serving.batching.BatchingStats;
import dev.keel.serving.runtime.ModelKey;
import dev.keel.serving.runtime.Tensor;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Micro-batching off and on at rising concurrency: the serving path in process (router, lease,
 * signature check, ONNX Runtime; no HTTP, whose cost would hide what batching changes), callers
 * on their own threads each sending single-row requests back to back to one endpoint. Both
 * sides are built the same way over the same loaded model, differing only in their
 * {@link BatchingOptions}; throughput, p50/p99, the mean rows per model call and the share of
 * requests that found the model idle and ran at once (batching is adaptive: only requests
 * arriving while the model is busy wait for a batch) are printed. One table per model: the
 * logistic regression the other benchmarks serve ({@link BenchModel}), whose call is so cheap
 * that batching cannot pay, and a perceptron ({@link MlpModel}) whose call costs mostly per
 * call, not per row, where it should.
 */
final class BatchingBenchmark {
    private static final Actor BENCH = new Actor("bench");
    static final int[] CONCURRENCY = {1, 2, 4, 8, 16, 32, 64};

    /** The models it can serve, by their {@code --model} name. */
    static final List<String> MODELS = List.of("lr", "mlp");

    private final int seconds;
    private final List<String> models;
    private final PrintStream out;

    /** {@code models}: names from {@link #MODELS}, measured in that order. */
    BatchingBenchmark(int seconds, List<String> models, PrintStream out) {
        if (models.isEmpty() || !MODELS.containsAll(models)) {
            throw new IllegalArgumentException("models must be some of " + MODELS + " (got " + models + ")");
        }
        this.seconds = seconds;
        this.models = List.copyOf(models);
        this.out = out;
    }

    /** A model served at its own endpoint, named as {@code --model} names it. */
    private record Served(String name, String title, byte[] onnx) {
        static Served named(String name) throws IOException {
            return "lr".equals(name)
                    ? new Served(name, "logistic regression, 15 features, 3 classes", BenchModel.trainOnnx(1))
                    : new Served(name, "perceptron 15 → " + MlpModel.HIDDEN + " → " + MlpModel.HIDDEN + " → "
                    + MlpModel.OUTPUTS + " (MatMul, Add, Relu), random weights", MlpModel.onnx(1));
        }
    }

    private record Side(String name, BatchingOptions options) {
    }

    private record Measured(double requestsPerSecond, double p50Micros, double p99Micros, double rowsPerCall,
                            double atOncePercent) {
    }

    void run() throws Exception {
        List<Side> sides = List.of(new Side("off", BatchingOptions.OFF),
                new Side("32 rows, 0 ms", BatchingOptions.of(32, Duration.ZERO)),
                new Side("32 rows, 1 ms", BatchingOptions.of(32, Duration.ofMillis(1))));
        float[] row = BenchModel.rows(1)[0];
        InputBinder input = InputBinder.of(List.of(Tensor.fp32("input", new long[]{1, BenchModel.FEATURES}, row)));
        try (FreshStore fresh = FreshStore.create(null); KeelPlatform platform = KeelPlatform.open(fresh.config())) {
            List<Served> served = new ArrayList<>();
            for (String name : models) {
                Served model = Served.named(name);
                platform.registry().createRegisteredModel(BENCH, NewRegisteredModel.named(name));
                BenchModel.register(platform.registry(), BENCH, name, model.onnx());
                platform.serving().endpoints().createEndpoint(BENCH, new NewEndpoint(name,
                        List.of(Variant.of("main", "models:/" + name + "/1")), new Single("main"), null));
                served.add(model);
            }
            out.printf("Micro-batching, in process, single-row requests to one endpoint, %d s per load%n", seconds);
            List<Inference> inferences = new ArrayList<>();
            for (Side side : sides) {
                // versions are given (models:/<name>/1), so the resolver needs no registry
                inferences.add(new Inference(platform.serving().router(), platform.serving().models(),
                        reference -> new ModelKey(reference.name(), ((ModelReference.ByVersion) reference).version()),
                        Duration.ofSeconds(5), 1, InferenceListener.NONE, side.options()));
            }
            try {
                for (Served model : served) {
                    table(model, sides, inferences, input);
                }
                out.printf(Locale.ROOT, "%nload average at the end: %.2f%n", ServingBenchmark.loadAverage());
            } finally {
                inferences.forEach(Inference::close);
            }
        }
    }

    private void table(Served model, List<Side> sides, List<Inference> inferences, InputBinder input)
            throws InterruptedException {
        out.printf(Locale.ROOT, "%n%s, %d KB (load average %.2f)%n", model.title(), model.onnx().length / 1024,
                ServingBenchmark.loadAverage());
        out.printf("%-12s", "callers");
        for (Side side : sides) {
            out.printf(" | %-42s", side.name() + ": req/s, p50/p99 µs, rows/call, at once");
        }
        out.println();
        ModelKey key = new ModelKey(model.name(), 1);
        for (Inference inference : inferences) {
            measure(inference, model.name(), key, input, 4, 2); // warm every path up before the first figure
        }
        for (int callers : CONCURRENCY) {
            out.printf("%-12d", callers);
            for (Inference inference : inferences) {
                Measured measured = measure(inference, model.name(), key, input, callers, seconds);
                out.printf(Locale.ROOT, " | %,10.0f %6.0f/%-7.0f %6.2f %5.1f%%     ",
                        measured.requestsPerSecond(), measured.p50Micros(), measured.p99Micros(),
                        measured.rowsPerCall(), measured.atOncePercent());
            }
            out.println();
        }
    }

    private static Measured measure(Inference inference, String endpoint, ModelKey model, InputBinder input,
                                    int callers, int seconds) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        long[][] latencies = new long[callers][];
        int[] counts = new int[callers];
        Thread[] threads = new Thread[callers];
        BatchingStats before = inference.batchingStats(model);
        for (int t = 0; t < callers; t++) {
            int caller = t;
            threads[t] = new Thread(() -> {
                long[] mine = new long[1 << 16];
                int count = 0;
                while (!stop.get()) {
                    long start = System.nanoTime();
                    inference.predict(endpoint, null, input, List.of());
                    if (count == mine.length) {
                        mine = Arrays.copyOf(mine, mine.length * 2);
                    }
                    mine[count++] = System.nanoTime() - start;
                }
                latencies[caller] = mine;
                counts[caller] = count;
            }, "bench-caller-" + t);
        }
        long started = System.nanoTime();
        for (Thread thread : threads) {
            thread.start();
        }
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        for (Thread thread : threads) {
            thread.join();
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int at = 0;
        for (int t = 0; t < callers; t++) {
            System.arraycopy(latencies[t], 0, all, at, counts[t]);
            at += counts[t];
        }
        Arrays.sort(all);
        BatchingStats after = inference.batchingStats(model);
        long batchedRequests = after.requests() - before.requests();
        long batches = after.batches() - before.batches();
        // requests that ran alone (batching off, or nothing to batch with) are calls of one row
        double rowsPerCall = batches == 0 ? 1.0 : (double) total / (batches + (total - batchedRequests));
        // with batching off nothing reaches a batcher: every request runs at once
        long passed = (after.ranAtOnce() + after.waited()) - (before.ranAtOnce() + before.waited());
        double atOnce = passed == 0 ? 100.0 : 100.0 * (after.ranAtOnce() - before.ranAtOnce()) / passed;
        return new Measured(total / elapsed, all[(int) (total * 0.50)] / 1000.0,
                all[Math.min(total - 1, (int) (total * 0.99))] / 1000.0, rowsPerCall, atOnce);
    }
}
