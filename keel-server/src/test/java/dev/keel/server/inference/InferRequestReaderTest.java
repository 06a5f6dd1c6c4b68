package dev.keel.server.inference;

import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import dev.keel.serving.runtime.Datatype;
import dev.keel.serving.runtime.Tensor;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InferRequestReaderTest {
    private final InferRequestReader reader = new InferRequestReader(1000);

    private InferRequest read(String json) {
        return reader.read(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsFlatAndNestedDataIntoPrimitiveArrays() {
        InferRequest request = read("""
                {"id": "r-1", "parameters": {"x": [1, {"y": 2}]},
                 "inputs": [
                   {"name": "features", "shape": [2, 3], "datatype": "FP32", "data": [[1, 2.5, -3], [4, 5, 6e-1]]},
                   {"name": "ids", "datatype": "INT64", "shape": [2], "data": [9007199254740993, -1]},
                   {"data": [true, false], "shape": [2], "datatype": "BOOL", "name": "flags"},
                   {"name": "text", "shape": [1], "datatype": "BYTES", "data": ["héllo"]}],
                 "outputs": [{"name": "probabilities", "parameters": {}}]}""");
        assertThat(request.id()).isEqualTo("r-1");
        assertThat(request.outputs()).containsExactly("probabilities");
        Tensor features = request.inputs().get(0);
        assertThat(features.datatype()).isEqualTo(Datatype.FP32);
        assertThat(features.shape()).containsExactly(2, 3);
        assertThat(features.floats()).containsExactly(1f, 2.5f, -3f, 4f, 5f, 0.6f);
        // an INT64 keeps every bit, beyond what a double could say
        assertThat(request.inputs().get(1).longs()).containsExactly(9007199254740993L, -1L);
        assertThat(request.inputs().get(2).booleans()).containsExactly(true, false);
        assertThat(request.inputs().get(3).strings()).containsExactly("héllo");
    }

    @Test
    void takesNonFiniteFloatsInBothSpellings() {
        Tensor tensor = read("""
                {"inputs": [{"name": "x", "shape": [3], "datatype": "FP64", "data": [NaN, "Infinity", "-Infinity"]}]}""")
                .inputs().get(0);
        assertThat(tensor.doubles()[0]).isNaN();
        assertThat(tensor.doubles()[1]).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(tensor.doubles()[2]).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void refusesMalformedRequestsNamingTheField() {
        List<String[]> cases = List.of(
                new String[] {"", "empty"},
                new String[] {"[1]", "JSON object"},
                new String[] {"{\"inputs\": [", "not valid JSON"},
                new String[] {"{}", "'inputs'"},
                new String[] {"{\"inputs\": {}}", "'inputs' must be an array"},
                new String[] {"{\"inputs\": [1]}", "'inputs[0]'"},
                new String[] {"{\"inputs\": [{\"shape\": [1], \"datatype\": \"FP32\", \"data\": [1]}]}", "'inputs[0].name'"},
                new String[] {"{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"data\": [1]}]}", "'inputs[0].datatype'"},
                new String[] {"{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"data\": [1]}]}", "'inputs[0].shape'"},
                new String[] {"{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"FP32\"}]}", "'inputs[0].data'"},
                new String[] {"{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"FP33\", \"data\": [1]}]}", "FP33"},
                new String[] {"{\"inputs\": [{\"name\": \"x\", \"shape\": [2], \"datatype\": \"FP32\", \"data\": [1]}]}", "tensor 'x'"},
                new String[] {"{\"inputs\": [{\"name\": \"x\", \"shape\": [-1], \"datatype\": \"FP32\", \"data\": []}]}", "negative"},
                new String[] {"{\"inputs\": [{\"name\": \"x\", \"shape\": [1.5], \"datatype\": \"FP32\", \"data\": [1]}]}", "'inputs[0].shape'"},
                new String[] {"{\"inputs\": [{\"name\": \"x\", \"shape\": [2], \"datatype\": \"INT32\", \"data\": [1, 2.5]}]}", "INT32 takes integers"},
                new String[] {"{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"INT8\", \"data\": [300]}]}", "range of INT8"},
                new String[] {"{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"INT64\", \"data\": [123456789012345678901234567890]}]}", "beyond any integer"},
                new String[] {"{\"inputs\": [{\"name\": \"x\", \"shape\": [2], \"datatype\": \"FP32\", \"data\": [1, \"a\"]}]}", "mixes"},
                new String[] {"{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"BOOL\", \"data\": [1]}]}", "BOOL takes booleans"},
                new String[] {"{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"FP32\", \"data\": [null]}]}", "null"},
                new String[] {"{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"FP32\", \"data\": [{}]}]}", "an object"},
                new String[] {"{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"FP32\", \"data\": [1]},"
                        + " {\"name\": \"x\", \"shape\": [1], \"datatype\": \"FP32\", \"data\": [1]}]}", "twice"},
                new String[] {"{\"inputs\": [], \"outputs\": [{}]}", "'outputs[0].name'"},
                new String[] {"{\"inputs\": [], \"id\": 5}", "'id' must be a string"},
                new String[] {"{\"inputs\": []} {}", "after"});
        for (String[] c : cases) {
            assertThatThrownBy(() -> read(c[0])).as(c[0]).isInstanceOfSatisfying(KeelException.class,
                    e -> assertThat(e.code().httpStatus()).isEqualTo(400)).hasMessageContaining(c[1]);
        }
    }

    @Test
    void refusesHostileSizesAndNesting() {
        String many = "{\"inputs\": [{\"name\": \"x\", \"shape\": [1001], \"datatype\": \"FP32\", \"data\": ["
                + "1,".repeat(1000) + "1]}]}";
        assertThatThrownBy(() -> read(many)).isInstanceOfSatisfying(KeelException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE)).hasMessageContaining("tensor 'x'");
        String deep = "{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"FP32\", \"data\": "
                + "[".repeat(40) + "1" + "]".repeat(40) + "}]}";
        assertThatThrownBy(() -> read(deep)).isInstanceOf(KeelException.class).hasMessageContaining("nest");
        String wide = "{\"inputs\": [{\"name\": \"x\", \"shape\": [" + "1,".repeat(40) + "1], \"datatype\": \"FP32\", \"data\": [1]}]}";
        assertThatThrownBy(() -> read(wide)).isInstanceOf(KeelException.class).hasMessageContaining("dimensions");
    }

    @Test
    void answersInTheProtocolsShape() {
        InferResponse response = new InferResponse("credit-risk", "3", "r-1", List.of(
                Tensor.fp32("probabilities", new long[] {1, 2}, 0.25f, Float.NaN),
                Tensor.bytes("label", new long[] {1}, "good")));
        assertThat(new String(response.toJson(), StandardCharsets.UTF_8)).isEqualTo(
                "{\"model_name\":\"credit-risk\",\"model_version\":\"3\",\"id\":\"r-1\",\"outputs\":["
                + "{\"name\":\"probabilities\",\"datatype\":\"FP32\",\"shape\":[1,2],\"data\":[0.25,\"NaN\"]},"
                + "{\"name\":\"label\",\"datatype\":\"BYTES\",\"shape\":[1],\"data\":[\"good\"]}]}");
    }
}
