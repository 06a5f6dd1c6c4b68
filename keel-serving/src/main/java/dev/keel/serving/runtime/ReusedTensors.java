package dev.keel.serving.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;

import java.lang.ref.Cleaner;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ONNX tensors one thread keeps from call to call, so that a call shaped like an earlier one
 * creates no native tensor: its inputs are written into tensors made before, and its outputs are
 * computed straight into others ("pinned" outputs). Creating a tensor costs a JNI call that looks
 * up Java classes and methods by name, and every output ONNX Runtime creates costs more of them;
 * for a single-row request that was a third of ONNX Runtime's share of the request's CPU time
 * (see docs/PERFORMANCE.md, "Serving").
 *
 * <p>Tensors are kept by slot (input or output, and position), element type and shape: two
 * inputs of one call never share a tensor, nor does an input with an output. Only small numeric
 * tensors are kept — up to {@value #MAX_BYTES} bytes each, at most {@value #MAX_TENSORS} per
 * thread, the least recently used closed first — as those are the calls whose fixed costs
 * matter. A thread uses only its own; calls on one thread are sequential, and a tensor's values
 * are rewritten only by the next call. When the thread ends, its tensors are closed by a
 * {@link Cleaner}: serving threads come and go with the server's pool.
 */
final class ReusedTensors {
    static final int MAX_BYTES = 64 * 1024;
    static final int MAX_TENSORS = 16;
    private static final Cleaner CLEANER = Cleaner.create();

    private final Kept kept = new Kept();

    ReusedTensors() {
        CLEANER.register(this, kept::closeAll);
    }

    /** Whether a tensor of this type and shape is kept: a small tensor of a type with a direct-buffer view. */
    static boolean reusable(Datatype type, long[] shape) {
        int width = switch (type) {
            case FP64, INT64 -> 8;
            case FP32, INT32 -> 4;
            default -> 0;
        };
        if (width == 0) {
            return false;
        }
        long elements = 1;
        for (long dim : shape) {
            if (dim < 0) {
                return false;
            }
            elements *= dim;
            if (elements * width > MAX_BYTES) {
                return false;
            }
        }
        return true;
    }

    /** Input {@code position}'s tensor holding {@code tensor}'s values; {@link #reusable} must hold. Not to be closed. */
    OnnxTensor input(OrtEnvironment env, int position, Tensor tensor) throws OrtException {
        Held held = held(env, new Key(false, position, tensor.datatype(), tensor.shape()));
        switch (tensor.datatype()) {
            case FP32 -> ((FloatBuffer) held.view).put(0, tensor.floats());
            case FP64 -> ((DoubleBuffer) held.view).put(0, tensor.doubles());
            case INT64 -> ((LongBuffer) held.view).put(0, tensor.longs());
            case INT32 -> ((IntBuffer) held.view).put(0, tensor.ints());
            default -> throw new IllegalStateException(tensor.datatype() + " tensors are not kept");
        }
        return held.tensor;
    }

    /** A tensor for output {@code position} to be computed into; {@link #reusable} must hold. Not to be closed. */
    OnnxTensor output(OrtEnvironment env, int position, Datatype type, long[] shape) throws OrtException {
        return held(env, new Key(true, position, type, shape)).tensor;
    }

    private Held held(OrtEnvironment env, Key key) throws OrtException {
        Held held = kept.get(key);
        if (held == null) {
            held = Held.create(env, key);
            // the key's shape is the caller's array: keep a copy nobody else holds
            kept.put(new Key(key.output, key.position, key.type, key.shape.clone()), held);
        }
        return held;
    }

    /** A slot: input or output, its position in the call, and the tensor's type and shape. */
    private static final class Key {
        final boolean output;
        final int position;
        final Datatype type;
        final long[] shape;
        private final int hash;

        Key(boolean output, int position, Datatype type, long[] shape) {
            this.output = output;
            this.position = position;
            this.type = type;
            this.shape = shape;
            this.hash = ((Boolean.hashCode(output) * 31 + position) * 31 + type.hashCode()) * 31 + Arrays.hashCode(shape);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.hash == hash && key.output == output && key.position == position
                    && key.type == type && Arrays.equals(key.shape, shape);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** A kept tensor and the typed view of the direct memory it reads and writes. */
    private record Held(OnnxTensor tensor, Buffer view) {
        static Held create(OrtEnvironment env, Key key) throws OrtException {
            long elements = Arrays.stream(key.shape).reduce(1, Math::multiplyExact);
            long[] shape = key.shape.clone();
            int count = Math.toIntExact(elements);
            return switch (key.type) {
                case FP32 -> {
                    FloatBuffer view = direct(4 * count).asFloatBuffer();
                    yield new Held(OnnxTensor.createTensor(env, view, shape), view);
                }
                case FP64 -> {
                    DoubleBuffer view = direct(8 * count).asDoubleBuffer();
                    yield new Held(OnnxTensor.createTensor(env, view, shape), view);
                }
                case INT64 -> {
                    LongBuffer view = direct(8 * count).asLongBuffer();
                    yield new Held(OnnxTensor.createTensor(env, view, shape), view);
                }
                case INT32 -> {
                    IntBuffer view = direct(4 * count).asIntBuffer();
                    yield new Held(OnnxTensor.createTensor(env, view, shape), view);
                }
                default -> throw new IllegalStateException(key.type + " tensors are not kept");
            };
        }

        private static ByteBuffer direct(int bytes) {
            return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
        }
    }

    /**
     * The tensors, least recently used first. A class of its own, not an anonymous one, so that
     * the cleaner's action holds it without holding the {@link ReusedTensors} it must outlive.
     */
    private static final class Kept extends LinkedHashMap<Key, Held> {
        Kept() {
            super(MAX_TENSORS * 2, 0.75f, true);
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Held> eldest) {
            if (size() > MAX_TENSORS) {
                eldest.getValue().tensor.close();
                return true;
            }
            return false;
        }

        void closeAll() {
            values().forEach(held -> held.tensor.close());
            clear();
        }
    }
}
