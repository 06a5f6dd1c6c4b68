package dev.keel.serving.runtime;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.platform.Fp16Conversions;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;

/**
 * Turns request tensors into ONNX Runtime tensors over direct memory, which ONNX Runtime reads
 * in place: a heap array would be copied into a fresh native buffer on every call.
 *
 * <p>Each thread keeps one direct buffer and reuses it call after call. That is safe because a
 * call is synchronous: the ONNX tensors over the buffer are closed before {@code predict}
 * returns, and the next call on the same thread starts only after that. The buffer grows to fit
 * the largest request up to {@value #RETAINED_BYTES} bytes; a larger request gets a buffer of
 * its own that the garbage collector frees. Serving threads are a fixed pool (Jetty's), so the
 * memory kept is bounded by pool size times that limit.
 */
final class OnnxInputs {
    static final int RETAINED_BYTES = 1 << 20;
    private static final int ALIGNMENT = 8;
    private static final ThreadLocal<Arena> ARENAS = ThreadLocal.withInitial(() -> new Arena(new ReusedTensors()));

    private OnnxInputs() {
    }

    /** This thread's scratch memory, reset for one call; {@link Arena#release()} when the call is done. */
    static Arena arena() {
        Arena arena = ARENAS.get();
        if (arena.inUse) {
            // a call made from inside another on the same thread: never share the first one's memory
            return new Arena(null).open();
        }
        return arena.open();
    }

    /** Bytes a tensor takes in direct memory, rounded up to keep the next one aligned; 0 for strings. */
    static int directBytes(Datatype modelType, int length) {
        long bytes = switch (modelType) {
            case FP64, INT64 -> 8L * length;
            case FP32, INT32 -> 4L * length;
            case FP16, INT16 -> 2L * length;
            case INT8, UINT8, BOOL -> length;
            default -> 0;
        };
        return Math.toIntExact((bytes + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT);
    }

    static final class Arena {
        /** This thread's kept tensors; null for a call made from inside another, which must not share them. */
        private final ReusedTensors reused;
        private ByteBuffer buffer = ByteBuffer.allocateDirect(0);
        private ByteBuffer block;
        private int offset;
        private boolean inUse;

        private Arena(ReusedTensors reused) {
            this.reused = reused;
        }

        /** The thread's kept tensors ({@link ReusedTensors}), or null when this call may not use them. */
        ReusedTensors reused() {
            return reused;
        }

        private Arena open() {
            inUse = true;
            return this;
        }

        /** Makes room for {@code bytes} in all for this call, before the first {@link #tensor}. */
        void reserve(int bytes) {
            if (bytes <= buffer.capacity()) {
                block = buffer;
            } else if (bytes <= RETAINED_BYTES) {
                buffer = ByteBuffer.allocateDirect(Integer.highestOneBit(Math.max(bytes, 64) - 1) << 1);
                block = buffer;
            } else {
                block = ByteBuffer.allocateDirect(bytes);
            }
            offset = 0;
        }

        void release() {
            block = null;
            inUse = false;
        }

        /**
         * An ONNX tensor of the model's element type holding {@code tensor}'s values; the datatypes
         * already match (the input contract checked them). The caller closes it.
         */
        OnnxTensor tensor(OrtEnvironment env, Tensor tensor) throws OrtException {
            Datatype type = tensor.datatype();
            long[] shape = tensor.shape();
            if (type == Datatype.BYTES) {
                return OnnxTensor.createTensor(env, tensor.strings(), shape);
            }
            int length = tensor.data().length();
            ByteBuffer bytes = slice(directBytes(type, length), length, type);
            return switch (type) {
                case FP32 -> OnnxTensor.createTensor(env, bytes.asFloatBuffer().put(tensor.floats()).flip(), shape);
                case FP64 -> OnnxTensor.createTensor(env, bytes.asDoubleBuffer().put(tensor.doubles()).flip(), shape);
                case INT64 -> OnnxTensor.createTensor(env, bytes.asLongBuffer().put(tensor.longs()).flip(), shape);
                case INT32 -> OnnxTensor.createTensor(env, bytes.asIntBuffer().put(tensor.ints()).flip(), shape);
                case INT16 -> {
                    ShortBuffer view = bytes.asShortBuffer();
                    for (int value : tensor.ints()) {
                        view.put((short) value);
                    }
                    yield OnnxTensor.createTensor(env, view.flip(), shape, OnnxJavaType.INT16);
                }
                case FP16 -> {
                    ShortBuffer view = bytes.asShortBuffer();
                    for (float value : tensor.floats()) {
                        view.put(Fp16Conversions.floatToFp16(value));
                    }
                    yield OnnxTensor.createTensor(env, view.flip(), shape, OnnxJavaType.FLOAT16);
                }
                case INT8, UINT8 -> {
                    for (int value : tensor.ints()) {
                        bytes.put((byte) value);
                    }
                    yield OnnxTensor.createTensor(env, bytes.flip(), shape,
                            type == Datatype.INT8 ? OnnxJavaType.INT8 : OnnxJavaType.UINT8);
                }
                case BOOL -> {
                    for (boolean value : tensor.booleans()) {
                        bytes.put(value ? (byte) 1 : (byte) 0);
                    }
                    yield OnnxTensor.createTensor(env, bytes.flip(), shape, OnnxJavaType.BOOL);
                }
                default -> throw new IllegalStateException("ONNX Runtime's Java API cannot take " + type
                        + " inputs; the runtime refuses such models when it opens them");
            };
        }

        /** The next {@code length} elements' worth of the block, in native order, positioned at 0. */
        private ByteBuffer slice(int alignedBytes, int length, Datatype type) {
            int exact = switch (type) {
                case FP64, INT64 -> 8 * length;
                case FP32, INT32 -> 4 * length;
                case FP16, INT16 -> 2 * length;
                default -> length;
            };
            ByteBuffer slice = block.slice(offset, exact).order(ByteOrder.nativeOrder());
            offset += alignedBytes;
            return slice;
        }
    }
}
