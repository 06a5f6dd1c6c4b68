package dev.keel.serving.runtime;

import dev.keel.api.registry.flavor.TensorSpec;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import ai.onnxruntime.MapInfo;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.SequenceInfo;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.TensorInfo.OnnxTensorType;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What an ONNX graph's inputs and outputs are in the protocol's terms, and which of them Keel can
 * serve. Decided once, when a session opens, so a model Keel cannot feed or read is refused at
 * load time with the input or output named — not on its first request.
 *
 * <p>Inputs must be tensors of a type ONNX Runtime's Java API can build (it has no unsigned
 * 16/32/64-bit tensors). Outputs may be tensors of any protocol datatype, or a sequence of maps
 * from class to score — what scikit-learn classifiers exported with ZipMap return — which is
 * served as a {@code [rows, classes]} score tensor (see {@link OnnxOutputs}).
 */
final class OnnxTypes {
    private OnnxTypes() {
    }

    static TensorSpec inputSpec(ModelKey model, NodeInfo node) {
        if (!(node.getInfo() instanceof TensorInfo tensor)) {
            throw unservable(model, "input", node, "it is not a tensor");
        }
        Optional<Datatype> datatype = datatype(tensor.onnxType);
        if (datatype.isEmpty() || !feedable(datatype.get())) {
            throw unservable(model, "input", node, "ONNX Runtime's Java API cannot build " + tensor.onnxType
                    + " tensors");
        }
        return new TensorSpec(node.getName(), datatype.get().signatureType(), dims(tensor.getShape()));
    }

    static TensorSpec outputSpec(ModelKey model, NodeInfo node) {
        if (node.getInfo() instanceof TensorInfo tensor) {
            Datatype datatype = datatype(tensor.onnxType).orElseThrow(() -> unservable(model, "output", node,
                    "the inference protocol has no datatype for " + tensor.onnxType));
            return new TensorSpec(node.getName(), datatype.signatureType(), dims(tensor.getShape()));
        }
        if (node.getInfo() instanceof SequenceInfo sequence && sequence.isSequenceOfMaps()
                && scoreType(sequence.mapInfo).isPresent()) {
            return new TensorSpec(node.getName(), scoreType(sequence.mapInfo).get().signatureType(), List.of(-1L, -1L));
        }
        throw unservable(model, "output", node, "it is " + node.getInfo() + "; Keel serves tensor outputs and "
                + "sequences of maps from class to score");
    }

    /** The score datatype of a ZipMap-style map: integer or string keys, float or double values. */
    static Optional<Datatype> scoreType(MapInfo map) {
        boolean keys = map.keyType == OnnxJavaType.INT64 || map.keyType == OnnxJavaType.STRING;
        if (!keys) {
            return Optional.empty();
        }
        return map.valueType == OnnxJavaType.FLOAT ? Optional.of(Datatype.FP32)
                : map.valueType == OnnxJavaType.DOUBLE ? Optional.of(Datatype.FP64) : Optional.empty();
    }

    static Optional<Datatype> datatype(OnnxTensorType type) {
        return Optional.ofNullable(switch (type) {
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL -> Datatype.BOOL;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8 -> Datatype.UINT8;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT16 -> Datatype.UINT16;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT32 -> Datatype.UINT32;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT64 -> Datatype.UINT64;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8 -> Datatype.INT8;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT16 -> Datatype.INT16;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32 -> Datatype.INT32;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64 -> Datatype.INT64;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16 -> Datatype.FP16;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT -> Datatype.FP32;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE -> Datatype.FP64;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING -> Datatype.BYTES;
            default -> null;
        });
    }

    private static boolean feedable(Datatype datatype) {
        return datatype != Datatype.UINT16 && datatype != Datatype.UINT32 && datatype != Datatype.UINT64;
    }

    private static List<Long> dims(long[] shape) {
        List<Long> dims = new ArrayList<>(shape.length);
        for (long dim : shape) {
            dims.add(dim < 0 ? -1L : dim);
        }
        return dims;
    }

    private static KeelException unservable(ModelKey model, String side, NodeInfo node, String why) {
        return new KeelException(ErrorCode.NOT_IMPLEMENTED, model + " cannot be served: its " + side + " '"
                + node.getName() + "' is not servable: " + why);
    }
}
