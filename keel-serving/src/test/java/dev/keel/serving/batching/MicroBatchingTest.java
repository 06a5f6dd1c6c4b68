package dev.keel.serving.batching;

import dev.keel.api.serving.ModelReference;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import dev.keel.serving.Inference;
import dev.keel.serving.InferenceListener;
import dev.keel.serving.InputBinder;
import dev.keel.serving.endpoint.Router;
import dev.keel.serving.rollout.TrafficStatistics;
import dev.keel.serving.runtime.LogisticModel;
import dev.keel.serving.runtime.ModelLease;
import dev.keel.serving.runtime.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static dev.keel.serving.batching.BatchingBench.MAX_ROUNDS;
import static dev.keel.serving.batching.BatchingBench.ROUNDS;
import static dev.keel.serving.batching.BatchingBench.THREADS;
import static dev.keel.serving.batching.BatchingBench.rowsOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Micro-batching against the unbatched serving path, on a real registered model run by ONNX
 * Runtime and by Tribuo: the same answers for every caller, rows never mixed between callers,
 * a client's mistake failing only its own request, and off unless asked for. Tests that need a
 * batch run {@link BatchingBench#untilBatched rounds until one has formed}.
 */
class MicroBatchingTest {
    private static final ModelReference ONNX = ModelReference.parse("model", "models:/credit/1");
    private static final ModelReference TRIBUO = ModelReference.parse("model", "models:/credit/2");

    @TempDir
    Path dir;

    private BatchingBench bench;

    @BeforeEach
    void register() {
        bench = new BatchingBench(dir);
        LogisticModel trained = LogisticModel.train(5);
        bench.registry.register("credit", trained.onnxDirectory(dir.resolve("onnx")));
        bench.registry.register("credit", trained.tribuoDirectory(dir.resolve("tribuo")));
    }

    @AfterEach
    void close() {
        bench.close();
    }

    /** One caller's request of one round; it calls {@link #meet} on {@code together} just before sending. */
    @FunctionalInterface
    private interface RoundOfOne {
        void run(int thread, int round, CyclicBarrier together) throws Exception;
    }

    /** {@value BatchingBench#THREADS} callers on their own threads, {@value BatchingBench#ROUNDS} rounds each, meeting before every request. */
    private void inLockstep(RoundOfOne request) throws Exception {
        CyclicBarrier together = new CyclicBarrier(THREADS);
        List<Future<?>> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            threads.add(bench.pool.submit(() -> {
                for (int round = 0; round < ROUNDS; round++) {
                    request.run(thread, round, together);
                }
                return null;
            }));
        }
        for (Future<?> thread : threads) {
            thread.get(120, TimeUnit.SECONDS);
        }
    }

    /** Waits for the other threads; a thread that failed breaks the barrier, so none waits for it forever. */
    private static void meet(CyclicBarrier together) throws Exception {
        together.await(60, TimeUnit.SECONDS);
    }

    @Test
    void batched_answers_equal_unbatched_answers_for_every_caller_under_8_threads() throws Exception {
        checkAgainstUnbatched(ONNX, rows -> List.of(LogisticModel.onnxInput(rows)));
    }

    @Test
    void a_tribuo_model_batches_the_same_way() throws Exception {
        checkAgainstUnbatched(TRIBUO, LogisticModel::tribuoInputs);
    }

    private void checkAgainstUnbatched(ModelReference model, Function<double[][], List<Tensor>> inputs) throws Exception {
        Inference plain = bench.inference(BatchingOptions.OFF);
        // one slot and a long delay: a caller finding a call in flight waits for it, so callers arriving together
        // share calls (with a slot per core, whether three calls overlap is the scheduler's doing)
        Inference batched = bench.inference(BatchingOptions.of(8, Duration.ofMillis(100)).withSlots(1));
        int checked = bench.untilBatched(() -> batched.batchingStats().batches() > 0, (thread, round) -> {
            double[][] rows = rowsOf(thread, round);
            List<Tensor> answer = batched.predict(model, InputBinder.of(inputs.apply(rows)), List.of()).outputs();
            List<Tensor> alone = plain.predict(model, InputBinder.of(inputs.apply(rows)), List.of()).outputs();
            assertThat(answer).as("thread %d round %d", thread, round).isEqualTo(alone);
            assertThat(answer.get(0).shape()[0]).isEqualTo(rows.length);
        });
        assertThat(checked).isGreaterThanOrEqualTo(THREADS * ROUNDS);
        BatchingStats stats = batched.batchingStats();
        assertThat(stats.batches()).as("some calls answered several requests within %d rounds", MAX_ROUNDS)
                .isPositive();
        assertThat(stats.requests()).isGreaterThan(stats.batches());
        assertThat(stats.retriedAlone()).isZero();
        assertThat(stats.ranAtOnce() + stats.waited()).as("every request ran at once or joined a batch")
                .isEqualTo(checked);
        assertThat(stats.requests()).isLessThanOrEqualTo(stats.waited());
        assertThat(plain.batchingStats()).isEqualTo(BatchingStats.NONE);
    }

    @Test
    void sequential_requests_run_at_once_however_long_the_delay() {
        Inference plain = bench.inference(BatchingOptions.OFF);
        Inference batched = bench.inference(BatchingOptions.of(8, BatchingOptions.MAX_DELAY));
        for (int i = 0; i < 20; i++) {
            double[][] rows = LogisticModel.rows(1 + i % 3, i);
            assertThat(batched.predict(ONNX, InputBinder.of(List.of(LogisticModel.onnxInput(rows))), List.of())
                    .outputs()).as("request %d", i)
                    .isEqualTo(plain.predict(ONNX, InputBinder.of(List.of(LogisticModel.onnxInput(rows))), List.of())
                            .outputs());
        }
        // one caller: each request finds the model idle, so none waits the second-long delay, none is batched
        assertThat(batched.batchingStats()).isEqualTo(new BatchingStats(0, 0, 0, 20, 0, 0));
    }

    @Test
    void callers_no_more_than_the_slots_never_wait_however_long_the_delay() throws Exception {
        MicroBatcher batcher = new MicroBatcher(BatchingOptions.of(8, BatchingOptions.MAX_DELAY), THREADS);
        try (ModelLease lease = bench.models.lease(bench.loader.resolve(ONNX))) {
            inLockstep((thread, round, together) -> {
                double[][] rows = rowsOf(thread, round);
                List<Tensor> inputs = lease.runtime().check(List.of(LogisticModel.onnxInput(rows)));
                meet(together);
                assertThat(batcher.predict(lease.runtime(), inputs, rows.length, List.of()))
                        .isEqualTo(lease.runtime().predict(inputs, List.of()));
            });
        }
        // as many slots as callers: every request found a free slot, none waited for a batch
        assertThat(batcher.stats()).isEqualTo(new BatchingStats(0, 0, 0, (long) THREADS * ROUNDS, 0, 0));
    }

    @Test
    void a_zero_delay_never_waits_for_a_busy_model_so_never_batches() throws Exception {
        Inference plain = bench.inference(BatchingOptions.OFF);
        Inference batched = bench.inference(BatchingOptions.of(8, Duration.ZERO));
        inLockstep((thread, round, together) -> {
            double[][] rows = rowsOf(thread, round);
            meet(together);
            assertThat(batched.predict(ONNX, InputBinder.of(List.of(LogisticModel.onnxInput(rows))), List.of())
                    .outputs()).as("thread %d round %d", thread, round)
                    .isEqualTo(plain.predict(ONNX, InputBinder.of(List.of(LogisticModel.onnxInput(rows))),
                            List.of()).outputs());
        });
        BatchingStats stats = batched.batchingStats();
        assertThat(stats.batches()).isZero();
        assertThat(stats.ranAtOnce() + stats.waited()).isEqualTo(THREADS * ROUNDS);
        // a request that found the model busy ran alongside at once: its delay had already run out
        assertThat(stats.delayExpired()).isEqualTo(stats.waited());
    }

    @Test
    void asking_for_one_output_batches_apart_from_asking_for_all() throws Exception {
        Inference plain = bench.inference(BatchingOptions.OFF);
        Inference batched = bench.inference(BatchingOptions.of(8, Duration.ofMillis(200)).withSlots(1));
        String firstOutput = plain.lease(ONNX).runtime().signature().outputs().get(0).name();
        CyclicBarrier together = new CyclicBarrier(THREADS);
        List<Future<?>> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            threads.add(bench.pool.submit(() -> {
                List<String> outputs = thread % 2 == 0 ? List.of() : List.of(firstOutput);
                double[][] rows = rowsOf(thread, 0);
                meet(together);
                List<Tensor> answer = batched.predict(ONNX, InputBinder.of(List.of(LogisticModel.onnxInput(rows))),
                        outputs).outputs();
                assertThat(answer).isEqualTo(plain.predict(ONNX, InputBinder.of(List.of(LogisticModel.onnxInput(rows))),
                        outputs).outputs());
                return null;
            }));
        }
        for (Future<?> thread : threads) {
            thread.get();
        }
    }

    @Test
    void a_callers_mistake_fails_only_that_request_and_names_the_input() throws Exception {
        Inference batched = bench.inference(BatchingOptions.of(THREADS, Duration.ofMillis(200)).withSlots(1));
        Inference plain = bench.inference(BatchingOptions.OFF);
        CyclicBarrier together = new CyclicBarrier(THREADS);
        List<Future<Object>> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            threads.add(bench.pool.submit(() -> {
                double[][] rows = LogisticModel.rows(1, thread);
                Tensor input = LogisticModel.onnxInput(rows);
                if (thread == 3) {
                    input.floats()[2] = Float.NaN;
                } else if (thread == 5) {
                    input = Tensor.fp32("input", new long[]{1, 14}, new float[14]);
                }
                meet(together);
                try {
                    return batched.predict(ONNX, InputBinder.of(List.of(input)), List.of()).outputs();
                } catch (KeelException e) {
                    return e;
                }
            }));
        }
        for (int t = 0; t < THREADS; t++) {
            Object outcome = threads.get(t).get();
            if (t == 3 || t == 5) {
                assertThat(outcome).isInstanceOf(KeelException.class);
                KeelException error = (KeelException) outcome;
                assertThat(error.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
                assertThat(error.getMessage()).contains("input 'input'");
            } else {
                assertThat(outcome).as("thread %d", t).isEqualTo(plain.predict(ONNX,
                        InputBinder.of(List.of(LogisticModel.onnxInput(LogisticModel.rows(1, t)))), List.of()).outputs());
            }
        }
    }

    @Test
    void a_request_as_large_as_a_batch_runs_alone_with_the_same_answer() {
        Inference batched = bench.inference(BatchingOptions.of(4, Duration.ofMillis(200)));
        Inference plain = bench.inference(BatchingOptions.OFF);
        double[][] rows = LogisticModel.rows(10, 3);
        assertThat(batched.predict(ONNX, InputBinder.of(List.of(LogisticModel.onnxInput(rows))), List.of()).outputs())
                .isEqualTo(plain.predict(ONNX, InputBinder.of(List.of(LogisticModel.onnxInput(rows))), List.of()).outputs());
        assertThat(batched.batchingStats().batches()).isZero();
    }

    @Test
    void batching_is_off_by_default() {
        try (Inference inference = new Inference(new Router(new TrafficStatistics(Clock.systemUTC()), 1), bench.models,
                bench.loader::resolve, Duration.ofSeconds(5), 1, InferenceListener.NONE)) {
            assertThat(BatchingOptions.OFF.enabled()).isFalse();
            inference.predict(ONNX, InputBinder.of(List.of(LogisticModel.onnxInput(LogisticModel.rows(2, 1)))), List.of());
            assertThat(inference.batchingStats()).isEqualTo(BatchingStats.NONE);
        }
    }

    @Test
    void options_out_of_range_are_refused_naming_the_field() {
        assertThatThrownBy(() -> BatchingOptions.of(0, Duration.ofMillis(1))).hasMessageContaining("'batch_size'");
        assertThatThrownBy(() -> BatchingOptions.of(5000, Duration.ofMillis(1))).hasMessageContaining("'batch_size'");
        assertThatThrownBy(() -> BatchingOptions.of(8, Duration.ofMillis(-1))).hasMessageContaining("'batch_delay'");
        assertThatThrownBy(() -> BatchingOptions.of(8, Duration.ofSeconds(2))).hasMessageContaining("'batch_delay'");
        assertThat(BatchingOptions.of(8, Duration.ZERO).enabled()).isTrue();
        assertThatThrownBy(() -> BatchingOptions.OFF.withSlots(-1)).hasMessageContaining("'batch_slots'");
        assertThatThrownBy(() -> BatchingOptions.OFF.withSlots(BatchingOptions.MAX_SLOTS + 1))
                .hasMessageContaining("'batch_slots'");
        assertThat(BatchingOptions.OFF.slotsInEffect()).isEqualTo(Runtime.getRuntime().availableProcessors());
    }
}
