package dev.keel.serving.runtime;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Small ONNX graphs written by hand, for what a trained model does not show: every datatype, score maps, failures. */
public final class OnnxGraphs {
    private OnnxGraphs() {
    }

    /** One Identity per element type: input {@code x_<type>} [-1, 2] comes back as output {@code y_<type>}. */
    public static byte[] identities(Map<String, TensorProto.DataType> types) {
        GraphProto.Builder graph = GraphProto.newBuilder().setName("identities");
        types.forEach((name, type) -> graph
                .addInput(value("x_" + name, tensor(type, -1, 2)))
                .addNode(NodeProto.newBuilder().setOpType("Identity").addInput("x_" + name).addOutput("y_" + name))
                .addOutput(value("y_" + name, tensor(type, -1, 2))));
        return model(graph);
    }

    /**
     * scikit-learn's ZipMap: input {@code x} FP32 [-1, 3] becomes a sequence of maps from the
     * classes {2, 0, 1} (in that order, as a converter may list them) to the row's values.
     */
    public static byte[] zipMap() {
        GraphProto.Builder graph = GraphProto.newBuilder().setName("zipmap")
                .addInput(value("x", tensor(TensorProto.DataType.FLOAT, -1, 3)))
                .addNode(NodeProto.newBuilder().setOpType("ZipMap").setDomain("ai.onnx.ml").addInput("x")
                        .addOutput("probabilities").addAttribute(AttributeProto.newBuilder().setName("classlabels_int64s")
                                .setType(AttributeProto.AttributeType.INTS).addInts(2).addInts(0).addInts(1)))
                .addOutput(value("probabilities", TypeProto.newBuilder().setSequenceType(TypeProto.Sequence.newBuilder()
                        .setElemType(TypeProto.newBuilder().setMapType(TypeProto.Map.newBuilder()
                                .setKeyType(TensorProto.DataType.INT64.getNumber())
                                .setValueType(tensor(TensorProto.DataType.FLOAT))))).build()));
        return model(graph);
    }

    /**
     * A model that fails at run time on some valid inputs: its signature takes any number of rows
     * [-1, 3], but it reshapes them to [1, 3], which only one row fits.
     */
    public static byte[] oneRowOnly() {
        GraphProto.Builder graph = GraphProto.newBuilder().setName("one row only")
                .addInput(value("x", tensor(TensorProto.DataType.FLOAT, -1, 3)))
                .addInitializer(TensorProto.newBuilder().setName("shape").setDataType(TensorProto.DataType.INT64.getNumber())
                        .addDims(2).addInt64Data(1).addInt64Data(3))
                .addNode(NodeProto.newBuilder().setOpType("Reshape").addInput("x").addInput("shape").addOutput("y"))
                .addOutput(value("y", tensor(TensorProto.DataType.FLOAT, 1, 3)));
        return model(graph);
    }

    /** {@code y = a + b}: two FP32 inputs [-1, 2] of one shape, whose values must never be mixed up. */
    public static byte[] sum() {
        GraphProto.Builder graph = GraphProto.newBuilder().setName("sum")
                .addInput(value("a", tensor(TensorProto.DataType.FLOAT, -1, 2)))
                .addInput(value("b", tensor(TensorProto.DataType.FLOAT, -1, 2)))
                .addNode(NodeProto.newBuilder().setOpType("Add").addInput("a").addInput("b").addOutput("y"))
                .addOutput(value("y", tensor(TensorProto.DataType.FLOAT, -1, 2)));
        return model(graph);
    }

    /**
     * A graph whose output says it has the batch's rows ([-1, 3], the dimension named "batch" as
     * the input's) but has twice as many: the input stacked on itself.
     */
    public static byte[] doubledRows() {
        GraphProto.Builder graph = GraphProto.newBuilder().setName("doubled rows")
                .addInput(value("x", tensor(TensorProto.DataType.FLOAT, -1, 3)))
                .addNode(NodeProto.newBuilder().setOpType("Concat").addInput("x").addInput("x").addOutput("y")
                        .addAttribute(AttributeProto.newBuilder().setName("axis").setType(AttributeProto.AttributeType.INT)
                                .setI(0)))
                .addOutput(value("y", tensor(TensorProto.DataType.FLOAT, -1, 3)));
        return model(graph);
    }

    /** A model taking an unsigned 32-bit input, which ONNX Runtime's Java API cannot build. */
    public static byte[] unsignedInput() {
        return identities(Map.of("u32", TensorProto.DataType.UINT32));
    }

    /** The graph opened as ONNX Runtime serves it, from a new directory under {@code parent}. */
    public static ModelRuntime open(Path parent, byte[] model) {
        return new ModelDirectories(Map.of("graph", directory(parent, model)), RuntimeOptions.DEFAULT, Footprint.DEFAULT)
                .open(ModelDirectories.key("graph"));
    }

    /** A new directory under {@code parent} (created if need be) holding the graph as {@code model.onnx}. */
    public static Path directory(Path parent, byte[] model) {
        try {
            Files.createDirectories(parent);
            Path directory = Files.createTempDirectory(parent, "graph-");
            Files.write(directory.resolve("model.onnx"), model);
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] model(GraphProto.Builder graph) {
        return ModelProto.newBuilder().setIrVersion(8)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(13))
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("ai.onnx.ml").setVersion(1))
                .setGraph(graph).build().toByteArray();
    }

    private static ValueInfoProto value(String name, TypeProto type) {
        return ValueInfoProto.newBuilder().setName(name).setType(type).build();
    }

    /** A tensor type; -1 is a dimension named "batch". */
    private static TypeProto tensor(TensorProto.DataType type, long... dims) {
        TypeProto.Tensor.Builder tensor = TypeProto.Tensor.newBuilder().setElemType(type.getNumber());
        if (dims.length > 0) {
            TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
            for (long dim : dims) {
                shape.addDim(dim < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("batch")
                        : TensorShapeProto.Dimension.newBuilder().setDimValue(dim));
            }
            tensor.setShape(shape);
        }
        return TypeProto.newBuilder().setTensorType(tensor).build();
    }
}
