package dev.keel.registry.flavor;

import dev.keel.api.registry.flavor.Flavor;
import dev.keel.api.registry.flavor.Signature;
import dev.keel.api.registry.flavor.TensorSpec;
import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OnnxFlavorTest {
    @Test
    void a_lone_onnx_file_is_the_onnx_flavor_with_the_signature_of_its_graph() {
        var files = new FilesInMemory().with("model.onnx", TinyClassifier.onnx()).with("README.md", "notes");

        Inspection inspection = ModelInspector.inspect(files);

        assertThat(inspection.flavor()).isEqualTo(Flavor.ONNX);
        assertThat(inspection.flavor().wireName()).isEqualTo("onnx");
        assertThat(inspection.modelFile()).isEqualTo("model.onnx");
        assertThat(inspection.signature()).isEqualTo(TinyClassifier.ONNX_SIGNATURE);
    }

    @Test
    void an_onnx_file_in_a_subdirectory_is_found() {
        var files = new FilesInMemory().with("onnx/model.onnx", TinyClassifier.onnx());

        assertThat(ModelInspector.inspect(files).modelFile()).isEqualTo("onnx/model.onnx");
    }

    @Test
    void weights_listed_among_the_inputs_are_not_inputs_and_named_dimensions_are_dynamic() {
        var files = new FilesInMemory().with("old.onnx", handBuiltModel().toByteArray());

        Signature signature = ModelInspector.inspect(files).signature();

        assertThat(signature.inputs()).containsExactly(
                new TensorSpec("features", "float64", List.of(-1L, 3L)),
                new TensorSpec("country", "string", List.of(-1L, 1L)),
                new TensorSpec("flags", "bool", List.of(-1L, -1L)));
        assertThat(signature.outputs()).containsExactly(
                new TensorSpec("label", "int64", List.of(-1L)),
                new TensorSpec("probabilities", "sequence(map(int64,float32))", List.of(-1L)),
                new TensorSpec("count", "int32", List.of()));
    }

    @Test
    void the_weights_of_a_large_onnx_model_stream_past_unread() {
        var model = new LargeOnnxModel(1_500_000_000L);

        Signature signature = ModelInspector.inspect(model).signature();

        assertThat(signature).isEqualTo(new Signature(
                List.of(new TensorSpec("x", "float32", List.of(-1L, 8L))),
                List.of(new TensorSpec("y", "float32", List.of(-1L, 8L)))));
        // at most what one protobuf buffer holds, not the 1.5 GB of weights
        assertThat(model.weightBytesRead()).isLessThan(64 * 1024);
    }

    /**
     * An IR version 3 graph in the style of old exporters: the weight "W" is listed among the
     * inputs as well as the initializers; the batch dimension is a named dim_param, one
     * dimension is not stated at all, and a ZipMap-like output is a sequence of maps.
     */
    private static ModelProto handBuiltModel() {
        TensorProto weights = TensorProto.newBuilder().setName("W").addDims(3).addDims(2)
                .setDataType(TensorProto.DataType.DOUBLE.getNumber())
                .setRawData(ByteString.copyFrom(new byte[3 * 2 * 8])).build();
        TypeProto zipMap = TypeProto.newBuilder().setSequenceType(TypeProto.Sequence.newBuilder()
                .setElemType(TypeProto.newBuilder().setMapType(TypeProto.Map.newBuilder()
                        .setKeyType(TensorProto.DataType.INT64.getNumber())
                        .setValueType(tensor(TensorProto.DataType.FLOAT, null))))).build();
        GraphProto graph = GraphProto.newBuilder().setName("hand built")
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("MatMul").addInput("features").addInput("W").addOutput("z"))
                .addInitializer(weights)
                .addInput(value("features", tensor(TensorProto.DataType.DOUBLE, "batch", 3L)))
                .addInput(value("W", tensor(TensorProto.DataType.DOUBLE, null, 3L, 2L)))
                .addInput(value("country", tensor(TensorProto.DataType.STRING, "batch", 1L)))
                .addInput(value("flags", tensor(TensorProto.DataType.BOOL, "batch", (Long) null)))
                .addOutput(value("label", tensor(TensorProto.DataType.INT64, "batch")))
                .addOutput(value("probabilities", zipMap))
                .addOutput(value("count", tensor(TensorProto.DataType.INT32, null)))
                .build();
        return ModelProto.newBuilder().setIrVersion(3).setProducerName("hand").setGraph(graph)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(9)).build();
    }

    private static ValueInfoProto value(String name, TypeProto type) {
        return ValueInfoProto.newBuilder().setName(name).setType(type).build();
    }

    /** A tensor type: a named first dimension when batch is given, then fixed ones (null: unstated). */
    private static TypeProto tensor(TensorProto.DataType type, String batch, Long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        if (batch != null) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(batch));
        }
        for (Long dim : dims) {
            shape.addDim(dim == null ? TensorShapeProto.Dimension.newBuilder().build()
                    : TensorShapeProto.Dimension.newBuilder().setDimValue(dim).build());
        }
        TypeProto.Tensor.Builder tensor = TypeProto.Tensor.newBuilder().setElemType(type.getNumber());
        if (batch != null || dims.length > 0) {
            tensor.setShape(shape);
        }
        return TypeProto.newBuilder().setTensorType(tensor).build();
    }
}
