package dev.keel.serving.batching;

import dev.keel.serving.Inference;
import dev.keel.serving.InferenceListener;
import dev.keel.serving.endpoint.Router;
import dev.keel.serving.rollout.TrafficStatistics;
import dev.keel.serving.runtime.LoadListener;
import dev.keel.serving.runtime.LoadedModels;
import dev.keel.serving.runtime.LogisticModel;
import dev.keel.serving.runtime.ModelLoader;
import dev.keel.serving.runtime.TestRegistry;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * What the micro-batching tests serve on: a real registry, the models loaded from it, the
 * {@link Inference}s a test opens (closed with the bench) and the threads its callers run on.
 *
 * <p>Batching is adaptive — a request finding its model idle runs at once, batches form only
 * while it is busy — so whether a round of concurrent callers forms a batch is the scheduler's
 * doing: {@link #untilBatched} repeats rounds until one has formed, with a generous bound, and
 * the tests judge by the batcher's stats, never by time.
 */
final class BatchingBench implements AutoCloseable {
    static final int THREADS = 8;
    static final int ROUNDS = 30;
    /** The most rounds run waiting for a first batch: thousands of chances on a 2-core machine, under any load. */
    static final int MAX_ROUNDS = 5000;

    final TestRegistry registry;
    final ModelLoader loader;
    final LoadedModels models;
    final ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    private final List<Inference> opened = new ArrayList<>();

    BatchingBench(Path dir) {
        registry = new TestRegistry(dir);
        loader = registry.loader(dir.resolve("cache"));
        models = new LoadedModels(loader, 512L * 1024 * 1024, LoadListener.NONE);
    }

    /** Serving as a server composes it, batching as {@code batching} chooses per model version. */
    Inference inference(BatchingPolicy batching) {
        Inference inference = new Inference(new Router(new TrafficStatistics(Clock.systemUTC()), 1), models,
                loader::resolve, Duration.ofSeconds(5), 1, InferenceListener.NONE, batching);
        opened.add(inference);
        return inference;
    }

    /** Serving with the same batching for every model version. */
    Inference inference(BatchingOptions batching) {
        return inference(BatchingPolicy.everywhere(batching));
    }

    /** Request {@code round} of thread {@code thread}: 1 to 3 rows of its own, so no two callers send the same rows. */
    static double[][] rowsOf(int thread, int round) {
        return LogisticModel.rows(1 + (thread + round) % 3, 1000L * thread + round);
    }

    /** One caller's request of one round. */
    @FunctionalInterface
    interface Request {
        void send(int thread, int round) throws Exception;
    }

    /**
     * {@value #THREADS} callers on their own threads, all starting each round together: at least
     * {@value #ROUNDS} rounds, then more until {@code batchFormed} (at most {@value #MAX_ROUNDS}).
     * Returns the requests sent.
     */
    int untilBatched(BooleanSupplier batchFormed, Request request) throws Exception {
        // the barrier's action picks the round to run now (or -1: done), so every thread sees the same one
        int[] round = {-1, 0};
        CyclicBarrier together = new CyclicBarrier(THREADS, () -> {
            boolean more = round[1] < ROUNDS || (!batchFormed.getAsBoolean() && round[1] < MAX_ROUNDS);
            round[0] = more ? round[1]++ : -1;
        });
        List<Future<Integer>> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            threads.add(pool.submit(() -> {
                int sent = 0;
                while (true) {
                    together.await(60, TimeUnit.SECONDS);
                    int now = round[0];
                    if (now < 0) {
                        return sent;
                    }
                    try {
                        request.send(thread, now);
                    } catch (Exception | AssertionError e) {
                        together.reset(); // the others stop waiting for this thread
                        throw e;
                    }
                    sent++;
                }
            }));
        }
        int sent = 0;
        for (Future<Integer> thread : threads) {
            sent += thread.get();
        }
        return sent;
    }

    @Override
    public void close() {
        pool.shutdownNow();
        opened.forEach(Inference::close);
        models.close();
        registry.close();
    }
}
