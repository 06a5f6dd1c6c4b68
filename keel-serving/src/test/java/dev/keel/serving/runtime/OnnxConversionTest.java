package dev.keel.serving.runtime;

import dev.keel.api.registry.flavor.TensorSpec;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every datatype in and out of ONNX Runtime, score maps, and the graphs Keel refuses to serve. */
class OnnxConversionTest {
    @TempDir
    Path dir;

    private ModelRuntime open(byte[] model) {
        return OnnxGraphs.open(dir, model);
    }

    @Test
    void every_datatype_onnx_runtime_takes_goes_in_and_comes_back_unchanged() {
        Map<String, DataType> types = new LinkedHashMap<>();
        types.put("f32", DataType.FLOAT);
        types.put("f64", DataType.DOUBLE);
        types.put("f16", DataType.FLOAT16);
        types.put("i64", DataType.INT64);
        types.put("i32", DataType.INT32);
        types.put("i16", DataType.INT16);
        types.put("i8", DataType.INT8);
        types.put("u8", DataType.UINT8);
        types.put("bool", DataType.BOOL);
        types.put("str", DataType.STRING);
        long[] shape = {2, 2};
        List<Tensor> inputs = List.of(
                Tensor.fp32("x_f32", shape, 1.5f, -2f, 3.25f, 0f),
                Tensor.fp64("x_f64", shape, 1e-300, -2.5, 3, 1e300),
                new Tensor("x_f16", Datatype.FP16, shape, new TensorData.FloatData(new float[]{0.5f, -1f, 2048f, 0.25f})),
                Tensor.int64("x_i64", shape, Long.MIN_VALUE, -1, 0, Long.MAX_VALUE),
                Tensor.int32("x_i32", shape, Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE),
                new Tensor("x_i16", Datatype.INT16, shape, new TensorData.IntData(new int[]{-32768, -1, 0, 32767})),
                new Tensor("x_i8", Datatype.INT8, shape, new TensorData.IntData(new int[]{-128, -1, 0, 127})),
                new Tensor("x_u8", Datatype.UINT8, shape, new TensorData.IntData(new int[]{0, 1, 128, 255})),
                Tensor.bool("x_bool", shape, true, false, false, true),
                Tensor.bytes("x_str", shape, "a", "", "ünïcode", "d"));

        try (ModelRuntime runtime = open(OnnxGraphs.identities(types))) {
            List<Tensor> outputs = runtime.predict(inputs);

            assertThat(outputs).hasSize(inputs.size());
            for (int i = 0; i < inputs.size(); i++) {
                Tensor in = inputs.get(i);
                Tensor out = outputs.get(i);
                assertThat(out.name()).isEqualTo("y_" + in.name().substring(2));
                assertThat(new Tensor(in.name(), out.datatype(), out.shape(), out.data())).isEqualTo(in);
            }
        }
    }

    @Test
    void the_runtime_reports_every_datatype_in_its_signature() {
        try (ModelRuntime runtime = open(OnnxGraphs.identities(Map.of("f16", DataType.FLOAT16, "str", DataType.STRING)))) {
            assertThat(runtime.signature().inputs()).containsExactlyInAnyOrder(
                    new TensorSpec("x_f16", "float16", List.of(-1L, 2L)), new TensorSpec("x_str", "string", List.of(-1L, 2L)));
        }
    }

    @Test
    void a_sequence_of_score_maps_is_served_as_a_score_tensor_with_classes_in_ascending_order() {
        try (ModelRuntime runtime = open(OnnxGraphs.zipMap())) {
            assertThat(runtime.signature().outputs()).containsExactly(
                    new TensorSpec("probabilities", "float32", List.of(-1L, -1L)));

            // classes listed as {2, 0, 1}: the row [a, b, c] scores class 2 a, class 0 b, class 1 c
            Tensor scores = runtime.predict(List.of(Tensor.fp32("x", new long[]{2, 3}, 0.7f, 0.2f, 0.1f, 0.3f, 0.3f, 0.4f)))
                    .get(0);

            assertThat(scores.shape()).containsExactly(2, 3);
            assertThat(scores.floats()).containsExactly(0.2f, 0.1f, 0.7f, 0.3f, 0.4f, 0.3f);
        }
    }

    @Test
    void a_model_with_an_input_no_client_can_send_is_refused_when_it_opens_naming_the_input() {
        assertThatThrownBy(() -> open(OnnxGraphs.unsignedInput()))
                .isInstanceOfSatisfying(KeelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_IMPLEMENTED))
                .hasMessageContaining("input 'x_u32'");
    }

    @Test
    void a_model_failing_on_a_valid_request_is_an_inference_failure_for_that_request_only() {
        try (ModelRuntime runtime = open(OnnxGraphs.oneRowOnly())) {
            Tensor oneRow = Tensor.fp32("x", new long[]{1, 3}, 1, 2, 3);
            Tensor twoRows = Tensor.fp32("x", new long[]{2, 3}, 1, 2, 3, 4, 5, 6);

            assertThatThrownBy(() -> runtime.predict(List.of(twoRows)))
                    .isInstanceOfSatisfying(KeelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR))
                    .hasMessageStartingWith(InferenceFailure.PREFIX)
                    .hasMessageContaining("'graph'");
            assertThat(runtime.predict(List.of(oneRow)).get(0).floats()).containsExactly(1, 2, 3);
        }
    }

    @Test
    void a_model_file_onnx_runtime_cannot_load_is_refused_naming_it() {
        assertThatThrownBy(() -> open(new byte[]{8, 8, 18, 0}))
                .isInstanceOf(KeelException.class).hasMessageContaining("model.onnx");
    }

    @Test
    void values_out_of_their_datatypes_range_are_refused_naming_the_tensor() {
        List<Runnable> bad = new ArrayList<>();
        bad.add(() -> new Tensor("t", Datatype.UINT8, new long[]{1}, new TensorData.IntData(new int[]{256})));
        bad.add(() -> new Tensor("t", Datatype.INT8, new long[]{1}, new TensorData.IntData(new int[]{-129})));
        bad.add(() -> new Tensor("t", Datatype.UINT32, new long[]{1}, new TensorData.LongData(new long[]{-1})));
        bad.add(() -> Tensor.bytes("t", new long[]{1}, (String) null));
        bad.add(() -> Tensor.fp32("t", new long[]{-1}));
        for (Runnable tensor : bad) {
            PredictionTest.invalid(tensor, "tensor 't'");
        }
        PredictionTest.invalid(() -> Datatype.parse("inputs[0].datatype", "FLOAT"), "'inputs[0].datatype'", "FP32");
        assertThat(Datatype.parse("datatype", "fp32")).isEqualTo(Datatype.FP32);
    }
}
