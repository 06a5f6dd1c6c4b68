package dev.keel.cli.demo;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.keel.core.ArtifactPath;

import java.util.Map;

/**
 * The demo's misbehaving model: an ONNX export of a credit-risk scorer whose batch dimension
 * was fixed at {@value #BATCH} rows, a classic export mistake. Its signature is the registered
 * model's — one float64 {@code [-1]} input per applicant feature, so every request a client sends
 * passes validation — but the graph reshapes the features to exactly {@value #BATCH} rows, so
 * ONNX Runtime fails on any other batch. The demo's single-row requests all fail inside the
 * model (a 500 counted against the variant, not a client's 400), which is what a canary's
 * guardrails are for.
 *
 * <p>Written by hand because no trainer makes this mistake on purpose. Its weights are zero: it
 * never gets far enough to use them.
 */
final class FixedBatchExport {
    static final int BATCH = 8;
    static final ArtifactPath DIRECTORY = ArtifactPath.of("model");
    static final ArtifactPath MODEL = DIRECTORY.resolve("model.onnx");
    static final String RUN_NAME = "onnx-export-fixed-batch-" + BATCH;

    private FixedBatchExport() {
    }

    /** The files its run logs: only the ONNX graph, which carries its own signature. */
    static Map<ArtifactPath, byte[]> files() {
        return Map.of(MODEL, graph());
    }

    static byte[] graph() {
        int features = Applicant.FEATURE_NAMES.size();
        GraphProto.Builder graph = GraphProto.newBuilder().setName("credit-risk scorer, exported with a fixed batch");
        NodeProto.Builder concat = NodeProto.newBuilder().setOpType("Concat").setName("columns").addOutput("columns")
                .addAttribute(AttributeProto.newBuilder().setName("axis").setType(AttributeProto.AttributeType.INT).setI(0));
        for (String feature : Applicant.FEATURE_NAMES) {
            graph.addInput(value(feature, TensorProto.DataType.DOUBLE, -1));
            concat.addInput(feature);
        }
        graph.addNode(concat)
                // exporters compute in float32, as Tribuo's does
                .addNode(node("Cast", "columns_f32", "columns").addAttribute(AttributeProto.newBuilder().setName("to")
                        .setType(AttributeProto.AttributeType.INT).setI(TensorProto.DataType.FLOAT.getNumber())))
                // the mistake: [features, -1] was exported as [features, 8]
                .addInitializer(int64s("shape", features, BATCH))
                .addNode(node("Reshape", "by_feature", "columns_f32", "shape"))
                .addNode(node("Transpose", "by_row", "by_feature")
                        .addAttribute(AttributeProto.newBuilder().setName("perm").setType(AttributeProto.AttributeType.INTS)
                                .addInts(1).addInts(0)))
                .addInitializer(floats("weights", new float[features * 2], features, 2))
                .addInitializer(floats("bias", new float[2], 2))
                .addNode(node("MatMul", "products", "by_row", "weights"))
                .addNode(node("Add", "logits", "products", "bias"))
                .addNode(node("Softmax", "probabilities", "logits")
                        .addAttribute(AttributeProto.newBuilder().setName("axis").setType(AttributeProto.AttributeType.INT).setI(1)))
                .addOutput(value("probabilities", TensorProto.DataType.FLOAT, -1, 2));
        return ModelProto.newBuilder().setIrVersion(8).setProducerName("keel demo")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(13))
                .setGraph(graph).build().toByteArray();
    }

    private static NodeProto.Builder node(String op, String output, String... inputs) {
        NodeProto.Builder node = NodeProto.newBuilder().setOpType(op).setName(output).addOutput(output);
        for (String input : inputs) {
            node.addInput(input);
        }
        return node;
    }

    private static TensorProto int64s(String name, long... values) {
        TensorProto.Builder tensor = TensorProto.newBuilder().setName(name)
                .setDataType(TensorProto.DataType.INT64.getNumber()).addDims(values.length);
        for (long value : values) {
            tensor.addInt64Data(value);
        }
        return tensor.build();
    }

    private static TensorProto floats(String name, float[] values, long... dims) {
        TensorProto.Builder tensor = TensorProto.newBuilder().setName(name)
                .setDataType(TensorProto.DataType.FLOAT.getNumber());
        for (long dim : dims) {
            tensor.addDims(dim);
        }
        for (float value : values) {
            tensor.addFloatData(value);
        }
        return tensor.build();
    }

    /** A tensor of {@code type}; -1 is the dimension named "batch". */
    private static ValueInfoProto value(String name, TensorProto.DataType type, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long dim : dims) {
            shape.addDim(dim < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("batch")
                    : TensorShapeProto.Dimension.newBuilder().setDimValue(dim));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape))).build();
    }
}
