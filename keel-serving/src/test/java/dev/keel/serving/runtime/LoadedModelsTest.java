package dev.keel.serving.runtime;

import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Lazy loading, least-recently-used unloading under a budget, leases and hot swap, on real registered models. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoadedModelsTest {
    private static final int MODELS = 100;
    private static final double[][] ROW = LogisticModel.rows(1, 21);

    private Path dir;
    private TestRegistry registry;
    private LogisticModel first;
    private LogisticModel second;
    private long footprint;

    @BeforeAll
    void register() throws IOException {
        dir = Files.createTempDirectory("keel-serving-loaded");
        registry = new TestRegistry(dir);
        first = LogisticModel.train(1);
        second = LogisticModel.train(2);
        Path onnx = first.onnxDirectory(dir);
        for (int i = 0; i < MODELS; i++) {
            registry.register(name(i), onnx);
        }
        registry.register("swapped", onnx);
        registry.register("swapped", second.onnxDirectory(dir));
        footprint = Footprint.DEFAULT.estimate(first.onnx().length);
    }

    @AfterAll
    void close() {
        registry.close();
    }

    private static String name(int i) {
        return String.format("model-%03d", i);
    }

    /** Records what the cache reports, and checks the budget after every change. */
    private static final class Recorder implements LoadListener {
        final List<ModelKey> loadedKeys = new CopyOnWriteArrayList<>();
        final List<ModelKey> evicted = new CopyOnWriteArrayList<>();
        final List<ModelKey> closed = new CopyOnWriteArrayList<>();
        final List<Duration> loadTimes = new CopyOnWriteArrayList<>();

        @Override
        public void loaded(ModelKey key, long footprintBytes, Duration took) {
            loadedKeys.add(key);
            loadTimes.add(took);
        }

        @Override
        public void unloaded(ModelKey key, Unloaded why) {
            if (why == Unloaded.EVICTED) {
                evicted.add(key);
            }
        }

        @Override
        public void closed(ModelKey key) {
            closed.add(key);
        }
    }

    @Test
    void a_hundred_models_are_served_under_a_budget_for_ten_never_exceeding_it() {
        long budget = 10 * footprint;
        Recorder recorder = new Recorder();
        try (LoadedModels models = new LoadedModels(registry.loader(dir.resolve("cache-lru")), budget, recorder)) {
            float[] expected = null;
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < MODELS; i++) {
                    try (ModelLease lease = models.lease(new ModelKey(name(i), 1))) {
                        float[] scores = lease.runtime().predict(List.of(LogisticModel.onnxInput(ROW))).get(0).floats();
                        if (expected == null) {
                            expected = scores;
                        }
                        assertThat(scores).containsExactly(expected);
                    }
                    LoadedModelsStats stats = models.stats();
                    assertThat(stats.usedBytes()).isLessThanOrEqualTo(budget);
                    assertThat(stats.loadedModels()).isLessThanOrEqualTo(10);
                }
            }

            LoadedModelsStats stats = models.stats();
            assertThat(stats.loadedModels()).isEqualTo(10);
            assertThat(stats.loads()).isEqualTo(2 * MODELS);
            assertThat(stats.evictions()).isEqualTo(2 * MODELS - 10);
            assertThat(stats.draining()).isZero();
            assertThat(recorder.closed).hasSize(2 * MODELS - 10);
            assertThat(recorder.loadTimes).hasSize(2 * MODELS).allSatisfy(took -> assertThat(took).isPositive());
            assertThat(stats.totalLoadTime()).isPositive();
            // the ten most recently used stay
            assertThat(models.loaded()).containsExactlyElementsOf(IntStream.rangeClosed(1, 10)
                    .mapToObj(i -> new ModelKey(name(MODELS - i), 1)).toList());
        }
    }

    @Test
    void the_least_recently_used_model_goes_first() {
        Recorder recorder = new Recorder();
        try (LoadedModels models = new LoadedModels(registry.loader(dir.resolve("cache-order")), 3 * footprint, recorder)) {
            for (int i : new int[]{0, 1, 2, 0, 3, 1, 4}) {
                models.lease(new ModelKey(name(i), 1)).close();
            }
            // 0 1 2 | use 0 | load 3: out goes 1 | load 1: out goes 2 | load 4: out goes 0
            assertThat(recorder.evicted).containsExactly(new ModelKey(name(1), 1), new ModelKey(name(2), 1),
                    new ModelKey(name(0), 1));
            assertThat(models.loaded()).containsExactly(new ModelKey(name(4), 1), new ModelKey(name(1), 1),
                    new ModelKey(name(3), 1));
        }
    }

    @Test
    void an_evicted_model_stays_open_until_its_lease_ends() {
        Recorder recorder = new Recorder();
        try (LoadedModels models = new LoadedModels(registry.loader(dir.resolve("cache-lease")), footprint, recorder)) {
            ModelLease held = models.lease(new ModelKey(name(0), 1));
            ModelRuntime runtime = held.runtime();
            models.lease(new ModelKey(name(1), 1)).close();

            assertThat(recorder.evicted).containsExactly(new ModelKey(name(0), 1));
            assertThat(models.stats().draining()).isEqualTo(1);
            assertThat(held.runtime().predict(List.of(LogisticModel.onnxInput(ROW)))).hasSize(1);
            assertThat(recorder.closed).isEmpty();

            held.close();
            held.close();

            assertThat(recorder.closed).containsExactly(new ModelKey(name(0), 1));
            assertThat(((OnnxModelRuntime) runtime).isClosed()).isTrue();
            assertThat(models.stats().draining()).isZero();
        }
    }

    @Test
    void concurrent_first_requests_load_a_model_once() throws Exception {
        Recorder recorder = new Recorder();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try (LoadedModels models = new LoadedModels(registry.loader(dir.resolve("cache-once")), 5 * footprint, recorder)) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<float[]>> answers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                answers.add(threads.submit(() -> {
                    start.await();
                    try (ModelLease lease = models.lease(new ModelKey(name(7), 1))) {
                        return lease.runtime().predict(List.of(LogisticModel.onnxInput(ROW))).get(0).floats();
                    }
                }));
            }
            start.countDown();
            for (Future<float[]> answer : answers) {
                assertThat(answer.get(1, TimeUnit.MINUTES)).hasSize(3);
            }
            assertThat(recorder.loadedKeys).containsExactly(new ModelKey(name(7), 1));
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void a_model_larger_than_the_whole_budget_is_refused_and_a_failed_load_is_tried_again() {
        Recorder recorder = new Recorder();
        try (LoadedModels models = new LoadedModels(registry.loader(dir.resolve("cache-big")), footprint - 1, recorder)) {
            assertThatThrownBy(() -> models.lease(new ModelKey(name(0), 1)))
                    .isInstanceOfSatisfying(KeelException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.TEMPORARILY_UNAVAILABLE))
                    .hasMessageContaining("'" + name(0) + "'").hasMessageContaining("budget");
            assertThatThrownBy(() -> models.lease(new ModelKey("unregistered", 1)))
                    .isInstanceOfSatisfying(KeelException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST));
            assertThat(models.stats().loadFailures()).isEqualTo(2);
            assertThat(models.stats().usedBytes()).isZero();
            assertThat(models.loaded()).isEmpty();
        }
    }

    @Test
    void a_model_that_fails_on_a_request_fails_that_request_only() {
        ModelDirectories directories = new ModelDirectories(Map.of(
                "faulty", OnnxGraphs.directory(dir, OnnxGraphs.oneRowOnly()),
                "healthy", first.onnxDirectory(dir)), RuntimeOptions.DEFAULT, Footprint.DEFAULT);
        try (LoadedModels models = new LoadedModels(directories, 1 << 20, LoadListener.NONE)) {
            ModelKey faulty = ModelDirectories.key("faulty");
            try (ModelLease lease = models.lease(faulty)) {
                assertThatThrownBy(() -> lease.runtime().predict(List.of(Tensor.fp32("x", new long[]{2, 3}, new float[6]))))
                        .isInstanceOfSatisfying(KeelException.class,
                                e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR))
                        .hasMessageStartingWith(InferenceFailure.PREFIX);
            }
            try (ModelLease lease = models.lease(faulty)) {
                assertThat(lease.runtime().predict(List.of(Tensor.fp32("x", new long[]{1, 3}, 1, 2, 3)))).hasSize(1);
            }
            try (ModelLease lease = models.lease(ModelDirectories.key("healthy"))) {
                assertThat(lease.runtime().predict(List.of(LogisticModel.onnxInput(ROW)))).hasSize(1);
            }
            assertThat(models.stats().loads()).isEqualTo(2);
            assertThat(models.stats().loadFailures()).isZero();
        }
    }

    @Test
    void hot_swap_under_four_predicting_threads_drops_no_request() throws Exception {
        ModelLoader loader = registry.loader(dir.resolve("cache-swap"));
        ModelKey key = new ModelKey("swapped", 1);
        ModelKey other = new ModelKey("swapped", 2);
        Recorder recorder = new Recorder();
        float[] firstAnswer;
        float[] secondAnswer;
        try (ModelRuntime a = loader.open(key); ModelRuntime b = loader.open(other)) {
            firstAnswer = a.predict(List.of(LogisticModel.onnxInput(ROW))).get(0).floats();
            secondAnswer = b.predict(List.of(LogisticModel.onnxInput(ROW))).get(0).floats();
        }
        assertThat(firstAnswer).isNotEqualTo(secondAnswer);

        ExecutorService threads = Executors.newFixedThreadPool(4);
        try (LoadedModels models = new LoadedModels(loader, 10 * footprint, recorder)) {
            models.lease(key).close();
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicLong served = new AtomicLong();
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            Set<String> answers = ConcurrentHashMap.newKeySet();
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                workers.add(threads.submit(() -> {
                    while (running.get()) {
                        try (ModelLease lease = models.lease(key)) {
                            float[] scores = lease.runtime().predict(List.of(LogisticModel.onnxInput(ROW))).get(0).floats();
                            answers.add(Arrays.toString(scores));
                            served.incrementAndGet();
                        } catch (Throwable e) {
                            failures.add(e);
                        }
                    }
                }));
            }
            int swaps = 40;
            for (int swap = 0; swap < swaps; swap++) {
                // let requests run on each runtime before the next swap
                long before = served.get();
                while (served.get() < before + 20 && failures.isEmpty()) {
                    Thread.onSpinWait();
                }
                ModelRuntime next = loader.open(swap % 2 == 0 ? other : key);
                models.swap(key, next, footprint);
            }
            long before = served.get();
            while (served.get() < before + 20 && failures.isEmpty()) {
                Thread.onSpinWait();
            }
            running.set(false);
            for (Future<?> worker : workers) {
                worker.get(1, TimeUnit.MINUTES);
            }

            assertThat(failures).isEmpty();
            assertThat(served.get()).isGreaterThanOrEqualTo(20L * (swaps + 1));
            assertThat(answers).containsExactlyInAnyOrder(Arrays.toString(firstAnswer), Arrays.toString(secondAnswer));
            // every runtime swapped out closed once its last request finished
            assertThat(recorder.closed).hasSize(swaps);
            assertThat(models.stats().swaps()).isEqualTo(swaps);
            assertThat(models.stats().draining()).isZero();
            assertThat(models.stats().usedBytes()).isEqualTo(footprint);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void reload_replaces_a_model_while_it_serves() {
        Recorder recorder = new Recorder();
        try (LoadedModels models = new LoadedModels(registry.loader(dir.resolve("cache-reload")), 2 * footprint, recorder)) {
            ModelKey key = new ModelKey(name(3), 1);
            ModelLease before = models.lease(key);

            models.reload(key);

            try (ModelLease after = models.lease(key)) {
                assertThat(after.runtime()).isNotSameAs(before.runtime());
                assertThat(after.runtime().predict(List.of(LogisticModel.onnxInput(ROW)))).hasSize(1);
            }
            assertThat(recorder.closed).isEmpty();
            before.close();
            assertThat(recorder.closed).containsExactly(key);
            assertThat(models.stats().loads()).isEqualTo(2);
            assertThat(models.stats().usedBytes()).isEqualTo(footprint);
        }
    }

    @Test
    void a_closed_cache_takes_no_more_requests_and_closes_every_model() {
        Recorder recorder = new Recorder();
        LoadedModels models = new LoadedModels(registry.loader(dir.resolve("cache-close")), 5 * footprint, recorder);
        models.lease(new ModelKey(name(0), 1)).close();
        ModelLease held = models.lease(new ModelKey(name(1), 1));

        models.close();

        assertThat(recorder.closed).containsExactly(new ModelKey(name(0), 1));
        assertThatThrownBy(() -> models.lease(new ModelKey(name(2), 1)))
                .isInstanceOfSatisfying(KeelException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.TEMPORARILY_UNAVAILABLE));
        held.close();
        assertThat(recorder.closed).hasSize(2);
        assertThat(models.stats().usedBytes()).isZero();
    }
}
