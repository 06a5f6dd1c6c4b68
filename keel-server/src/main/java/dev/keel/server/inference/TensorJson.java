package dev.keel.server.inference;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.keel.serving.runtime.Tensor;
import dev.keel.serving.runtime.TensorData;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes tensors' values as JSON with Jackson's streaming generator, straight from their
 * primitive arrays. Non-finite floats come out as the strings "NaN", "Infinity" and "-Infinity"
 * (JSON has no literal for them; Python's and Jackson's readers take these).
 */
final class TensorJson {
    static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .build();

    private TensorJson() {
    }

    /** {@code body} rendered into bytes: the answer is small, and a byte array is what Javalin writes fastest. */
    static byte[] render(Body body) {
        ByteArrayBuilder bytes = new ByteArrayBuilder(512);
        try (JsonGenerator out = FACTORY.createGenerator(bytes)) {
            body.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    interface Body {
        void write(JsonGenerator out) throws IOException;
    }

    /** The values of {@code data}, flat, in row-major order. */
    static void writeFlat(JsonGenerator out, TensorData data) throws IOException {
        out.writeStartArray();
        writeRange(out, data, 0, data.length());
        out.writeEndArray();
    }

    /** Values {@code from} (inclusive) to {@code to} (exclusive) of {@code data}, without brackets. */
    static void writeRange(JsonGenerator out, TensorData data, int from, int to) throws IOException {
        if (data instanceof TensorData.FloatData floats) {
            float[] values = floats.values();
            for (int i = from; i < to; i++) {
                writeFloat(out, values[i]);
            }
        } else if (data instanceof TensorData.DoubleData doubles) {
            double[] values = doubles.values();
            for (int i = from; i < to; i++) {
                writeDouble(out, values[i]);
            }
        } else if (data instanceof TensorData.LongData longs) {
            long[] values = longs.values();
            for (int i = from; i < to; i++) {
                out.writeNumber(values[i]);
            }
        } else if (data instanceof TensorData.IntData ints) {
            int[] values = ints.values();
            for (int i = from; i < to; i++) {
                out.writeNumber(values[i]);
            }
        } else if (data instanceof TensorData.BoolData bools) {
            boolean[] values = bools.values();
            for (int i = from; i < to; i++) {
                out.writeBoolean(values[i]);
            }
        } else {
            String[] values = ((TensorData.BytesData) data).values();
            for (int i = from; i < to; i++) {
                out.writeString(values[i]);
            }
        }
    }

    /** One value (row {@code index} of a 1-D tensor, say) on its own. */
    static void writeValue(JsonGenerator out, TensorData data, int index) throws IOException {
        writeRange(out, data, index, index + 1);
    }

    private static void writeFloat(JsonGenerator out, float value) throws IOException {
        if (Float.isFinite(value)) {
            out.writeNumber(value);
        } else {
            out.writeString(Float.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
        }
    }

    private static void writeDouble(JsonGenerator out, double value) throws IOException {
        if (Double.isFinite(value)) {
            out.writeNumber(value);
        } else {
            out.writeString(Double.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
        }
    }

    static void writeShape(JsonGenerator out, long[] shape) throws IOException {
        out.writeStartArray();
        for (long dim : shape) {
            out.writeNumber(dim);
        }
        out.writeEndArray();
    }

    /** An OIP tensor object: name, datatype, shape, flat data. */
    static void writeTensor(JsonGenerator out, Tensor tensor) throws IOException {
        out.writeStartObject();
        out.writeStringField("name", tensor.name());
        out.writeStringField("datatype", tensor.datatype().name());
        out.writeFieldName("shape");
        writeShape(out, tensor.shape());
        out.writeFieldName("data");
        writeFlat(out, tensor.data());
        out.writeEndObject();
    }
}
