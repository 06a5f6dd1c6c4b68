package dev.keel.registry.flavor;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * An ONNX model whose one weight tensor is {@code weightBytes} of zeros, produced on the fly so
 * the test never holds it, and which counts how many of those bytes the reader actually read
 * (rather than skipped).
 */
final class LargeOnnxModel implements ModelFiles {
    static final String FILE = "large.onnx";

    private final long weightBytes;
    private final byte[] before;
    private final byte[] after;
    private long weightBytesRead;

    LargeOnnxModel(long weightBytes) {
        this.weightBytes = weightBytes;
        TypeProto floats = TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                .setElemType(TensorProto.DataType.FLOAT.getNumber())
                .setShape(TensorShapeProto.newBuilder()
                        .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
                        .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(8)))).build();
        byte[] inputsAndOutputs = GraphProto.newBuilder()
                .addInput(ValueInfoProto.newBuilder().setName("x").setType(floats))
                .addOutput(ValueInfoProto.newBuilder().setName("y").setType(floats)).build().toByteArray();
        byte[] weightHead = bytes(out -> {
            out.writeString(TensorProto.NAME_FIELD_NUMBER, "W");
            out.writeTag(TensorProto.RAW_DATA_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(Math.toIntExact(weightBytes));
        });
        long initializerLength = weightHead.length + weightBytes;
        byte[] initializerHead = bytes(out -> {
            out.writeTag(GraphProto.INITIALIZER_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(Math.toIntExact(initializerLength));
        });
        long graphLength = initializerHead.length + initializerLength + inputsAndOutputs.length;
        byte[] modelHead = bytes(out -> {
            out.writeInt64(ModelProto.IR_VERSION_FIELD_NUMBER, 8);
            out.writeTag(ModelProto.GRAPH_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(Math.toIntExact(graphLength));
        });
        this.before = concat(modelHead, initializerHead, weightHead);
        this.after = inputsAndOutputs;
    }

    long weightBytesRead() {
        return weightBytesRead;
    }

    @Override
    public List<String> paths() {
        return List.of(FILE);
    }

    @Override
    public InputStream open(String path) {
        return new Stream();
    }

    /** The head, then the zeros, then the tail, by position; skipping costs nothing, as on a file. */
    private final class Stream extends InputStream {
        private long position;

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            long total = before.length + weightBytes + after.length;
            if (position >= total) {
                return -1;
            }
            int count;
            if (position < before.length) {
                count = (int) Math.min(length, before.length - position);
                System.arraycopy(before, (int) position, buffer, offset, count);
            } else if (position < before.length + weightBytes) {
                count = (int) Math.min(length, before.length + weightBytes - position);
                Arrays.fill(buffer, offset, offset + count, (byte) 0);
                weightBytesRead += count;
            } else {
                int at = (int) (position - before.length - weightBytes);
                count = Math.min(length, after.length - at);
                System.arraycopy(after, at, buffer, offset, count);
            }
            position += count;
            return count;
        }

        @Override
        public long skip(long count) {
            long skipped = Math.min(Math.max(count, 0), before.length + weightBytes + after.length - position);
            position += skipped;
            return skipped;
        }
    }

    private interface Writing {
        void to(CodedOutputStream out) throws IOException;
    }

    private static byte[] bytes(Writing writing) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            writing.to(out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }
}
