package dev.keel.cli.bench;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

/**
 * The model where micro-batching should pay: a multi-layer perceptron {@code 15 → 512 → 512 → 3}
 * (MatMul, Add, Relu; FP32) with random weights from a fixed seed, written as an ONNX graph by
 * hand. One row is a matrix-vector product that reads all ≈ 1.1 MB of weights for a single use
 * each, bound by how fast they come from the caches; 32 rows are a matrix product that uses each
 * weight read 32 times. So a call's cost is mostly per call, not per row: with one ONNX Runtime
 * thread on the 2-core machine of docs/PERFORMANCE.md, 25–27 µs for one row against ≈ 6 µs a row
 * at 32. Wider layers share no more there, and a few MB keeps the benchmark quick to set up. It takes
 * {@code input} FP32 {@code [rows, 15]} like {@link BenchModel}, so the same rows and request
 * bodies serve both, and answers {@code output} FP32 {@code [rows, 3]}.
 */
final class MlpModel {
    static final int HIDDEN = 512;
    static final int OUTPUTS = 3;

    private MlpModel() {
    }

    /** The graph's bytes, the same for the same seed. */
    static byte[] onnx(long seed) {
        return onnx(seed, HIDDEN, HIDDEN);
    }

    /** A perceptron with these hidden layers' widths between the 15 features and the 3 outputs. */
    static byte[] onnx(long seed, int... hidden) {
        Random random = new Random(seed);
        int[] widths = new int[hidden.length + 2];
        widths[0] = BenchModel.FEATURES;
        System.arraycopy(hidden, 0, widths, 1, hidden.length);
        widths[widths.length - 1] = OUTPUTS;
        GraphProto.Builder graph = GraphProto.newBuilder().setName("bench mlp")
                .addInput(value("input", BenchModel.FEATURES))
                .addOutput(value("output", OUTPUTS));
        String previous = "input";
        for (int layer = 0; layer < widths.length - 1; layer++) {
            int in = widths[layer];
            int out = widths[layer + 1];
            boolean last = layer == widths.length - 2;
            // He initialisation keeps activations of the order of the inputs through the Relus,
            // so the answers stay finite and differ from row to row
            graph.addInitializer(floats("w" + layer, random, Math.sqrt(2.0 / in), in, out));
            graph.addInitializer(floats("b" + layer, random, 0.1, out));
            String product = "matmul" + layer;
            String sum = last ? "output" : "sum" + layer;
            graph.addNode(NodeProto.newBuilder().setOpType("MatMul").addInput(previous).addInput("w" + layer)
                    .addOutput(product));
            graph.addNode(NodeProto.newBuilder().setOpType("Add").addInput(product).addInput("b" + layer).addOutput(sum));
            if (!last) {
                graph.addNode(NodeProto.newBuilder().setOpType("Relu").addInput(sum).addOutput("relu" + layer));
                previous = "relu" + layer;
            }
        }
        return ModelProto.newBuilder().setIrVersion(8).setProducerName("keel bench")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(13))
                .setGraph(graph).build().toByteArray();
    }

    /** An FP32 initializer of Gaussian values times {@code scale}, stored raw (little-endian), as exporters do. */
    private static TensorProto floats(String name, Random random, double scale, int... dims) {
        int count = 1;
        for (int dim : dims) {
            count *= dim;
        }
        ByteBuffer data = ByteBuffer.allocate(count * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            data.putFloat((float) (random.nextGaussian() * scale));
        }
        TensorProto.Builder tensor = TensorProto.newBuilder().setName(name)
                .setDataType(TensorProto.DataType.FLOAT.getNumber()).setRawData(ByteString.copyFrom(data.array()));
        for (int dim : dims) {
            tensor.addDims(dim);
        }
        return tensor.build();
    }

    /** An FP32 {@code [batch, columns]} value, the batch dimension named so a batcher may stack rows. */
    private static ValueInfoProto value(String name, int columns) {
        TensorShapeProto shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(columns)).build();
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT.getNumber()).setShape(shape)))
                .build();
    }
}
