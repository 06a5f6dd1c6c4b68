package dev.keel.server;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;

/**
 * A model that fails inside ONNX Runtime on valid requests, the way the demo's fixed-batch export
 * does: its signature takes {@code input} FP32 [-1, 3], any number of rows, as the registry test
 * model's does, but the graph reshapes it to [1, 3], which only a single row fits. One row is
 * answered; two rows are the model failing (a 500 counted against its variant), not the caller's
 * mistake.
 */
final class OneRowOnlyModel {
    private OneRowOnlyModel() {
    }

    static byte[] onnx() {
        GraphProto graph = GraphProto.newBuilder().setName("one row only")
                .addInput(value("input", -1, 3))
                .addInitializer(TensorProto.newBuilder().setName("shape").setDataType(TensorProto.DataType.INT64.getNumber())
                        .addDims(2).addInt64Data(1).addInt64Data(3))
                .addNode(NodeProto.newBuilder().setOpType("Reshape").setName("reshape").addInput("input")
                        .addInput("shape").addOutput("output"))
                .addOutput(value("output", 1, 3))
                .build();
        return ModelProto.newBuilder().setIrVersion(8).setProducerName("keel test")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(13))
                .setGraph(graph).build().toByteArray();
    }

    /** An FP32 tensor; -1 is the dimension named "batch". */
    private static ValueInfoProto value(String name, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long dim : dims) {
            shape.addDim(dim < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("batch")
                    : TensorShapeProto.Dimension.newBuilder().setDimValue(dim));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT.getNumber()).setShape(shape))).build();
    }
}
