package dev.keel.serving.runtime;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ONNX Runtime calls over tensors a thread keeps from one call to the next ({@link ReusedTensors}):
 * every call still gets exactly its own answer — across calls of one shape, inputs of one
 * shape, more shapes than a thread keeps, threads, and graphs whose outputs are not shaped as
 * their signature suggests.
 */
class ReusedTensorsTest {
    @TempDir
    Path dir;

    private ModelRuntime open(byte[] model) {
        return OnnxGraphs.open(dir, model);
    }

    private static float[] floats(Tensor tensor) {
        return tensor.floats();
    }

    @Test
    void calls_of_one_shape_on_one_thread_each_get_their_own_values_and_keep_them() {
        try (ModelRuntime runtime = open(OnnxGraphs.identities(Map.of("f32", DataType.FLOAT)))) {
            List<float[]> answers = new ArrayList<>();
            for (int call = 0; call < 5; call++) {
                float base = call * 10;
                answers.add(floats(runtime.predict(List.of(Tensor.fp32("x_f32", new long[]{1, 2}, base, base + 1))).get(0)));
            }
            // an earlier answer is a copy: later calls computed into the same kept tensor did not change it
            for (int call = 0; call < 5; call++) {
                assertThat(answers.get(call)).containsExactly(call * 10f, call * 10f + 1);
            }
            assertThat(((OnnxModelRuntime) runtime).pinsOutputs()).as("outputs computed into kept tensors").isTrue();
        }
    }

    @Test
    void two_inputs_of_one_shape_never_share_a_kept_tensor() {
        try (ModelRuntime runtime = open(OnnxGraphs.sum())) {
            for (int call = 0; call < 3; call++) {
                List<Tensor> y = runtime.predict(List.of(
                        Tensor.fp32("a", new long[]{1, 2}, 1, 2),
                        Tensor.fp32("b", new long[]{1, 2}, 100 * (call + 1), 1000)));
                assertThat(floats(y.get(0))).containsExactly(1 + 100f * (call + 1), 1002f);
            }
        }
    }

    @Test
    void several_outputs_are_each_computed_into_a_kept_tensor_of_their_own() {
        Map<String, DataType> types = new java.util.LinkedHashMap<>();
        types.put("f32", DataType.FLOAT);
        types.put("i64", DataType.INT64);
        try (ModelRuntime runtime = open(OnnxGraphs.identities(types))) {
            for (int call = 0; call < 3; call++) {
                List<Tensor> y = runtime.predict(List.of(Tensor.fp32("x_f32", new long[]{1, 2}, call, -call),
                        Tensor.int64("x_i64", new long[]{1, 2}, 10L * call, 7)));
                assertThat(floats(y.get(0))).containsExactly(call, -call);
                assertThat(y.get(1).longs()).containsExactly(10L * call, 7);
                // one output asked for: pinned alone, the other not computed
                Tensor only = runtime.predict(List.of(Tensor.fp32("x_f32", new long[]{1, 2}, 5, call),
                        Tensor.int64("x_i64", new long[]{1, 2}, 1, 2)), List.of("y_i64")).get(0);
                assertThat(only.name()).isEqualTo("y_i64");
                assertThat(only.longs()).containsExactly(1, 2);
            }
            assertThat(((OnnxModelRuntime) runtime).pinsOutputs()).isTrue();
        }
    }

    @Test
    void outputs_with_other_rows_than_the_inputs_are_answered_in_full_call_after_call() {
        try (ModelRuntime runtime = open(OnnxGraphs.doubledRows())) {
            for (int call = 0; call < 3; call++) {
                Tensor y = runtime.predict(List.of(Tensor.fp32("x", new long[]{1, 3}, call, 2, 3))).get(0);
                assertThat(y.shape()).containsExactly(2, 3);
                assertThat(floats(y)).containsExactly(call, 2, 3, call, 2, 3);
            }
            Tensor two = runtime.predict(List.of(Tensor.fp32("x", new long[]{2, 3}, 1, 2, 3, 4, 5, 6))).get(0);
            assertThat(two.shape()).containsExactly(4, 3);
            assertThat(floats(two)).containsExactly(1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6);
            // ONNX Runtime refused the kept [1, 3] tensor for a [2, 3] output; the runtime stopped offering one
            assertThat(((OnnxModelRuntime) runtime).pinsOutputs()).isFalse();
        }
    }

    @Test
    void more_shapes_than_a_thread_keeps_still_answer_right_and_the_first_again() {
        try (ModelRuntime runtime = open(OnnxGraphs.identities(Map.of("f64", DataType.DOUBLE)))) {
            for (int rows = 1; rows <= ReusedTensors.MAX_TENSORS * 2 + 1; rows++) {
                checkDoubles(runtime, rows);
            }
            checkDoubles(runtime, 1);
        }
    }

    private static void checkDoubles(ModelRuntime runtime, int rows) {
        double[] values = new double[rows * 2];
        for (int i = 0; i < values.length; i++) {
            values[i] = rows * 1000 + i;
        }
        Tensor y = runtime.predict(List.of(Tensor.fp64("x_f64", new long[]{rows, 2}, values))).get(0);
        assertThat(y.shape()).containsExactly(rows, 2);
        assertThat(y.doubles()).containsExactly(values);
    }

    @Test
    void a_request_larger_than_a_thread_keeps_goes_the_usual_way() {
        int rows = ReusedTensors.MAX_BYTES / 8 + 1;
        try (ModelRuntime runtime = open(OnnxGraphs.identities(Map.of("i32", DataType.INT32)))) {
            int[] values = new int[rows * 2];
            for (int i = 0; i < values.length; i++) {
                values[i] = i - rows;
            }
            Tensor y = runtime.predict(List.of(Tensor.int32("x_i32", new long[]{rows, 2}, values))).get(0);
            assertThat(y.ints()).containsExactly(values);
        }
    }

    @Test
    void threads_calling_one_model_at_once_each_get_their_own_answers() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try (ModelRuntime runtime = open(OnnxGraphs.identities(Map.of("i64", DataType.INT64)))) {
            List<Future<Integer>> checked = new ArrayList<>();
            for (int thread = 0; thread < 6; thread++) {
                long id = thread;
                checked.add(pool.submit(() -> {
                    int calls = 0;
                    for (long call = 0; call < 300; call++) {
                        long rows = 1 + call % 3;
                        long[] values = new long[(int) rows * 2];
                        for (int i = 0; i < values.length; i++) {
                            values[i] = id * 1_000_000 + call * 10 + i;
                        }
                        Tensor y = runtime.predict(List.of(Tensor.int64("x_i64", new long[]{rows, 2}, values))).get(0);
                        assertThat(y.longs()).containsExactly(values);
                        calls++;
                    }
                    return calls;
                }));
            }
            for (Future<Integer> thread : checked) {
                assertThat(thread.get()).isEqualTo(300);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
