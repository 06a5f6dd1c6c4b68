package dev.keel.registry.flavor;

import dev.keel.api.registry.flavor.Signature;
import dev.keel.api.registry.flavor.TensorSpec;
import dev.keel.core.KeelException;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.ExtensionRegistryLite;
import com.google.protobuf.WireFormat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The signature of an ONNX model, read from its graph without running it.
 *
 * <p>The file is walked field by field rather than parsed whole: the weights (initializers,
 * constant nodes) are most of an ONNX file and are skipped as they stream past, so a model of
 * gigabytes costs the memory of its input and output descriptions only. Initializer names are
 * kept because models older than IR version 4 list their weights among the graph inputs.
 */
final class OnnxGraphSignature {
    private OnnxGraphSignature() {
    }

    /** @throws com.google.protobuf.InvalidProtocolBufferException when the bytes are not an ONNX model */
    static Signature read(InputStream stream, String file) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(stream);
        Graph graph = null;
        long irVersion = 0;
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case ModelProto.IR_VERSION_FIELD_NUMBER -> irVersion = in.readInt64();
                case ModelProto.GRAPH_FIELD_NUMBER -> {
                    int limit = in.pushLimit(in.readRawVarint32());
                    graph = readGraph(in);
                    in.popLimit(limit);
                }
                default -> in.skipField(tag);
            }
        }
        if (graph == null || irVersion <= 0) {
            throw KeelException.invalid("model file '" + file + "' is not an ONNX model: it has no "
                    + (graph == null ? "graph" : "IR version"));
        }
        if (graph.outputs.isEmpty()) {
            throw KeelException.invalid("model file '" + file + "' is not an ONNX model: its graph has no outputs");
        }
        Set<String> weights = graph.initializers;
        List<TensorSpec> inputs = graph.inputs.stream()
                .filter(input -> !weights.contains(input.getName()))
                .map(OnnxGraphSignature::spec)
                .toList();
        return new Signature(inputs, graph.outputs.stream().map(OnnxGraphSignature::spec).toList());
    }

    private static Graph readGraph(CodedInputStream in) throws IOException {
        Graph graph = new Graph();
        ExtensionRegistryLite none = ExtensionRegistryLite.getEmptyRegistry();
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case GraphProto.INPUT_FIELD_NUMBER -> graph.inputs.add(in.readMessage(ValueInfoProto.parser(), none));
                case GraphProto.OUTPUT_FIELD_NUMBER -> graph.outputs.add(in.readMessage(ValueInfoProto.parser(), none));
                case GraphProto.INITIALIZER_FIELD_NUMBER -> {
                    int limit = in.pushLimit(in.readRawVarint32());
                    graph.initializers.add(initializerName(in));
                    in.popLimit(limit);
                }
                default -> in.skipField(tag);
            }
        }
        return graph;
    }

    /** The name of a weight tensor, skipping its (possibly very large) data. */
    private static String initializerName(CodedInputStream in) throws IOException {
        String name = "";
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (WireFormat.getTagFieldNumber(tag) == TensorProto.NAME_FIELD_NUMBER) {
                name = in.readStringRequireUtf8();
            } else {
                in.skipField(tag);
            }
        }
        return name;
    }

    private static TensorSpec spec(ValueInfoProto value) {
        return new TensorSpec(value.getName(), typeName(value.getType()), shape(value.getType()));
    }

    /** Tensors by element type; sequences and maps as {@code sequence(map(int64,float32))}, as ONNX prints them. */
    static String typeName(TypeProto type) {
        return switch (type.getValueCase()) {
            case TENSOR_TYPE -> elementName(type.getTensorType().getElemType());
            case SPARSE_TENSOR_TYPE -> "sparse(" + elementName(type.getSparseTensorType().getElemType()) + ")";
            case SEQUENCE_TYPE -> "sequence(" + typeName(type.getSequenceType().getElemType()) + ")";
            case MAP_TYPE -> "map(" + elementName(type.getMapType().getKeyType()) + ","
                    + typeName(type.getMapType().getValueType()) + ")";
            case OPTIONAL_TYPE -> "optional(" + typeName(type.getOptionalType().getElemType()) + ")";
            case OPAQUE_TYPE -> "opaque";
            case VALUE_NOT_SET -> "unknown";
        };
    }

    /** The numpy-style names MLflow and the Open Inference Protocol's clients use. */
    static String elementName(int elemType) {
        TensorProto.DataType type = TensorProto.DataType.forNumber(elemType);
        if (type == null) {
            return "unknown";
        }
        return switch (type) {
            case FLOAT -> "float32";
            case DOUBLE -> "float64";
            case FLOAT16 -> "float16";
            case BFLOAT16 -> "bfloat16";
            case INT8 -> "int8";
            case INT16 -> "int16";
            case INT32 -> "int32";
            case INT64 -> "int64";
            case UINT8 -> "uint8";
            case UINT16 -> "uint16";
            case UINT32 -> "uint32";
            case UINT64 -> "uint64";
            case STRING -> "string";
            case BOOL -> "bool";
            case COMPLEX64 -> "complex64";
            case COMPLEX128 -> "complex128";
            default -> type.name().toLowerCase(Locale.ROOT);
        };
    }

    /**
     * A tensor's dimensions, -1 where the graph leaves one open (a named {@code dim_param} such as
     * "batch", or nothing). A sequence has an open length. A tensor whose rank the graph does not
     * state, and a map, get an empty shape.
     */
    private static List<Long> shape(TypeProto type) {
        if (type.getValueCase() == TypeProto.ValueCase.SEQUENCE_TYPE) {
            return List.of(-1L);
        }
        if (type.getValueCase() != TypeProto.ValueCase.TENSOR_TYPE || !type.getTensorType().hasShape()) {
            return List.of();
        }
        List<Long> dims = new ArrayList<>();
        for (TensorShapeProto.Dimension dim : type.getTensorType().getShape().getDimList()) {
            dims.add(dim.getValueCase() == TensorShapeProto.Dimension.ValueCase.DIM_VALUE ? dim.getDimValue() : -1L);
        }
        return dims;
    }

    private static final class Graph {
        final List<ValueInfoProto> inputs = new ArrayList<>();
        final List<ValueInfoProto> outputs = new ArrayList<>();
        final Set<String> initializers = new HashSet<>();
    }
}
