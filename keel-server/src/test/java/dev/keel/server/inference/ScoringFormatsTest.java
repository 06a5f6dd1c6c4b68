package dev.keel.server.inference;

import dev.keel.api.registry.flavor.Signature;
import dev.keel.api.registry.flavor.TensorSpec;
import dev.keel.core.KeelException;
import dev.keel.api.http.WireFormat;
import dev.keel.serving.runtime.Datatype;
import dev.keel.serving.runtime.Tensor;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** MLflow's four /invocations formats fitted to an ONNX-style and a Tribuo-style signature. */
class ScoringFormatsTest {
    /** One [batch, 3] input, as an ONNX export has. */
    private static final Signature ONNX = new Signature(
            List.of(new TensorSpec("input", "float32", List.of(-1L, 3L))),
            List.of(new TensorSpec("output", "float32", List.of(-1L, 2L))));
    /** One [batch] input per feature, as a Tribuo model has. */
    private static final Signature TRIBUO = new Signature(
            List.of(new TensorSpec("age", "float64", List.of(-1L)), new TensorSpec("income", "float64", List.of(-1L))),
            List.of(new TensorSpec("label", "string", List.of(-1L))));

    private final ScoringRequestReader reader = new ScoringRequestReader(WireFormat.newMapper(), 100);
    private final ScoringBinding binding = new ScoringBinding(1000);

    private List<Tensor> bind(String json, Signature signature) {
        return binding.bind(reader.read(json.getBytes(StandardCharsets.UTF_8)), signature);
    }

    @Test
    void everyFormatReachesAnOnnxModelAsOneMatrix() {
        Tensor expected = Tensor.fp32("input", new long[] {2, 3}, 1, 2, 3, 4, 5, 6);
        assertThat(bind("{\"dataframe_split\": {\"columns\": [\"a\", \"b\", \"c\"], \"data\": [[1, 2, 3], [4, 5, 6]]}}", ONNX))
                .containsExactly(expected);
        assertThat(bind("{\"dataframe_records\": [{\"a\": 1, \"b\": 2, \"c\": 3}, {\"a\": 4, \"b\": 5, \"c\": 6}]}", ONNX))
                .containsExactly(expected);
        assertThat(bind("{\"instances\": [[1, 2, 3], [4, 5, 6]]}", ONNX)).containsExactly(expected);
        assertThat(bind("{\"inputs\": {\"input\": [[1, 2, 3], [4, 5, 6]]}, \"params\": {}}", ONNX)).containsExactly(expected);
    }

    @Test
    void framesReachATribuoModelColumnByColumn() {
        assertThat(bind("{\"dataframe_split\": {\"columns\": [\"income\", \"age\"], \"data\": [[5000, 31], [7000.5, 45]]}}",
                TRIBUO)).containsExactly(Tensor.fp64("income", new long[] {2}, 5000, 7000.5),
                Tensor.fp64("age", new long[] {2}, 31, 45));
        assertThat(bind("{\"inputs\": [{\"age\": 31, \"income\": 5000}]}", TRIBUO))
                .extracting(Tensor::datatype).containsOnly(Datatype.FP64);
    }

    @Test
    void refusesWhatDoesNotFitNamingIt() {
        String[][] cases = {
                {"{}", "needs one of"},
                {"{\"dataframe_split\": {}, \"inputs\": []}", "exactly one"},
                {"{\"data\": []}", "unknown field 'data'"},
                {"{\"dataframe_split\": {\"columns\": [\"a\"], \"data\": [[1, 2]]}}", "'dataframe_split.data[0]'"},
                {"{\"dataframe_split\": {\"columns\": [\"a\", \"a\"], \"data\": []}}", "twice"},
                {"{\"dataframe_split\": {\"columns\": [1], \"data\": []}}", "'dataframe_split.columns[0]'"},
                {"{\"dataframe_records\": [{\"a\": 1, \"b\": 2, \"c\": 3}, {\"a\": 1}]}", "'dataframe_records[1]'"},
                {"{\"dataframe_records\": []}", "no records"},
                {"{\"dataframe_split\": {\"columns\": [\"a\", \"b\"], \"data\": [[1, 2]]}}", "takes 3 columns"},
                {"{\"instances\": [[1, 2, 3], [4, 5]]}", "ragged"},
                {"{\"instances\": [[1, 2, \"x\"]]}", "mixes"},
                {"{\"inputs\": {\"nope\": [[1, 2, 3]]}}", "no input 'nope'"},
                {"{\"instances\": 5}", "'instances'"},
                {"{\"dataframe_records\": [" + "{\"a\": 1},".repeat(100) + "{\"a\": 1}]}", "at most 100"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> bind(c[0], ONNX)).as(c[0]).isInstanceOf(KeelException.class)
                    .hasMessageContaining(c[1]);
        }
        assertThatThrownBy(() -> bind("{\"dataframe_split\": {\"columns\": [\"age\", \"height\"], \"data\": [[1, 2]]}}",
                TRIBUO)).hasMessageContaining("income");
        assertThatThrownBy(() -> bind("{\"instances\": [1, 2]}", TRIBUO)).hasMessageContaining("takes 2 inputs");
    }

    @Test
    void answersOneEntryPerRow() {
        String single = new String(new ScoringResponse(List.of(Tensor.fp32("output", new long[] {2, 2}, 0.1f, 0.9f, 0.7f,
                0.3f))).toJson(), StandardCharsets.UTF_8);
        assertThat(single).isEqualTo("{\"predictions\":[[0.1,0.9],[0.7,0.3]]}");
        String several = new String(new ScoringResponse(List.of(Tensor.bytes("label", new long[] {2}, "good", "bad"),
                Tensor.fp64("probabilities", new long[] {2, 2}, 0.9, 0.1, 0.2, 0.8))).toJson(), StandardCharsets.UTF_8);
        assertThat(several).isEqualTo("{\"predictions\":[{\"label\":\"good\",\"probabilities\":[0.9,0.1]},"
                + "{\"label\":\"bad\",\"probabilities\":[0.2,0.8]}]}");
    }
}
