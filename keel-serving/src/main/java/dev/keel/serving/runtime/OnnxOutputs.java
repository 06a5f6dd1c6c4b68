package dev.keel.serving.runtime;

import ai.onnxruntime.OnnxMap;
import ai.onnxruntime.OnnxSequence;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import dev.keel.serving.runtime.TensorData.BoolData;
import dev.keel.serving.runtime.TensorData.BytesData;
import dev.keel.serving.runtime.TensorData.DoubleData;
import dev.keel.serving.runtime.TensorData.FloatData;
import dev.keel.serving.runtime.TensorData.IntData;
import dev.keel.serving.runtime.TensorData.LongData;

import java.lang.reflect.Array;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Copies ONNX Runtime's outputs into Keel tensors before the native result is closed: nothing
 * returned from a call points into native memory.
 *
 * <p>A sequence of maps from class to score (scikit-learn's ZipMap) becomes a {@code [rows,
 * classes]} tensor whose columns follow the classes in ascending order — numeric for integer
 * classes, lexicographic for string classes — which is the order scikit-learn keeps its
 * {@code classes_} in, and so the order of its {@code predict_proba} columns.
 */
final class OnnxOutputs {
    private OnnxOutputs() {
    }

    static Tensor convert(String name, OnnxValue value) throws OrtException {
        if (value instanceof OnnxTensor tensor) {
            return tensor(name, tensor);
        }
        if (value instanceof OnnxSequence sequence && sequence.getInfo().isSequenceOfMaps()) {
            return scores(name, sequence);
        }
        // the runtime refused models with other outputs when it opened them
        throw new IllegalStateException("output '" + name + "' is " + value.getInfo());
    }

    private static Tensor tensor(String name, OnnxTensor tensor) throws OrtException {
        TensorInfo info = tensor.getInfo();
        long[] shape = info.getShape();
        Datatype datatype = OnnxTypes.datatype(info.onnxType)
                .orElseThrow(() -> new IllegalStateException("output '" + name + "' is " + info.onnxType));
        TensorData data = switch (datatype) {
            case FP32, FP16 -> new FloatData(floats(tensor.getFloatBuffer()));
            case FP64 -> new DoubleData(doubles(tensor.getDoubleBuffer()));
            case INT64, UINT64 -> new LongData(longs(tensor.getLongBuffer()));
            case INT32 -> new IntData(ints(tensor.getIntBuffer()));
            case UINT32 -> {
                IntBuffer buffer = tensor.getIntBuffer();
                long[] values = new long[buffer.remaining()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = Integer.toUnsignedLong(buffer.get(i));
                }
                yield new LongData(values);
            }
            case INT16, UINT16 -> {
                ShortBuffer buffer = tensor.getShortBuffer();
                int[] values = new int[buffer.remaining()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = datatype == Datatype.INT16 ? buffer.get(i) : Short.toUnsignedInt(buffer.get(i));
                }
                yield new IntData(values);
            }
            case INT8, UINT8 -> {
                ByteBuffer buffer = tensor.getByteBuffer();
                int[] values = new int[buffer.remaining()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = datatype == Datatype.INT8 ? buffer.get(i) : Byte.toUnsignedInt(buffer.get(i));
                }
                yield new IntData(values);
            }
            case BOOL -> {
                ByteBuffer buffer = tensor.getByteBuffer();
                boolean[] values = new boolean[buffer.remaining()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = buffer.get(i) != 0;
                }
                yield new BoolData(values);
            }
            case BYTES -> new BytesData(strings(tensor.getValue(), Math.toIntExact(info.getNumElements())));
        };
        return new Tensor(name, datatype, shape, data);
    }

    /** One row per map, one column per class in ascending order; every row must have the same classes. */
    private static Tensor scores(String name, OnnxSequence sequence) throws OrtException {
        List<? extends OnnxValue> maps = sequence.getValue();
        try {
            int rows = maps.size();
            List<Object> classes = null;
            boolean doubles = false;
            double[] values = null;
            for (int row = 0; row < rows; row++) {
                Map<?, ?> scores = ((OnnxMap) maps.get(row)).getValue();
                if (classes == null) {
                    classes = sortedClasses(scores.keySet());
                    doubles = !scores.isEmpty() && scores.values().iterator().next() instanceof Double;
                    values = new double[rows * classes.size()];
                } else if (scores.size() != classes.size() || !scores.keySet().containsAll(classes)) {
                    throw new IllegalStateException("output '" + name + "' gives row " + row + " the classes "
                            + sortedClasses(scores.keySet()) + " but row 0 the classes " + classes);
                }
                for (int column = 0; column < classes.size(); column++) {
                    values[row * classes.size() + column] = ((Number) scores.get(classes.get(column))).doubleValue();
                }
            }
            int columns = classes == null ? 0 : classes.size();
            long[] shape = {rows, columns};
            if (doubles) {
                return new Tensor(name, Datatype.FP64, shape, new DoubleData(values == null ? new double[0] : values));
            }
            float[] floats = new float[values == null ? 0 : values.length];
            for (int i = 0; i < floats.length; i++) {
                floats[i] = (float) values[i];
            }
            return new Tensor(name, Datatype.FP32, shape, new FloatData(floats));
        } finally {
            // each map is a native value of its own
            for (OnnxValue map : maps) {
                map.close();
            }
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static List<Object> sortedClasses(Set<?> keys) {
        List<Object> classes = new ArrayList<>(keys);
        classes.sort((a, b) -> ((Comparable) a).compareTo(b));
        return classes;
    }

    /**
     * Whether the buffer's values are its whole backing array, as in the fresh heap copy ONNX
     * Runtime hands out for each output: the array is then taken as it is, not copied again.
     */
    private static boolean holdsExactlyItsArray(Buffer buffer) {
        return buffer.hasArray() && buffer.arrayOffset() == 0 && buffer.position() == 0
                && buffer.remaining() == Array.getLength(buffer.array());
    }

    private static float[] floats(FloatBuffer buffer) {
        if (holdsExactlyItsArray(buffer)) {
            return buffer.array();
        }
        float[] values = new float[buffer.remaining()];
        buffer.get(values);
        return values;
    }

    private static double[] doubles(DoubleBuffer buffer) {
        if (holdsExactlyItsArray(buffer)) {
            return buffer.array();
        }
        double[] values = new double[buffer.remaining()];
        buffer.get(values);
        return values;
    }

    private static long[] longs(LongBuffer buffer) {
        if (holdsExactlyItsArray(buffer)) {
            return buffer.array();
        }
        long[] values = new long[buffer.remaining()];
        buffer.get(values);
        return values;
    }

    private static int[] ints(IntBuffer buffer) {
        if (holdsExactlyItsArray(buffer)) {
            return buffer.array();
        }
        int[] values = new int[buffer.remaining()];
        buffer.get(values);
        return values;
    }

    /** ONNX Runtime gives string tensors as nested {@code String[]…[]} (or one String for a scalar); flattened row-major. */
    private static String[] strings(Object value, int count) {
        String[] flat = new String[count];
        int filled = flatten(value, flat, 0);
        if (filled != count) {
            throw new IllegalStateException("a string output held " + filled + " values, not " + count);
        }
        return flat;
    }

    private static int flatten(Object value, String[] into, int at) {
        if (value instanceof String text) {
            into[at] = text;
            return at + 1;
        }
        int next = at;
        for (int i = 0, n = Array.getLength(value); i < n; i++) {
            next = flatten(Array.get(value, i), into, next);
        }
        return next;
    }
}
