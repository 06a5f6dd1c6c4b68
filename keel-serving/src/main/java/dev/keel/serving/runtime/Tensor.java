package dev.keel.serving.runtime;

import dev.keel.core.KeelException;
import dev.keel.serving.runtime.TensorData.BoolData;
import dev.keel.serving.runtime.TensorData.BytesData;
import dev.keel.serving.runtime.TensorData.DoubleData;
import dev.keel.serving.runtime.TensorData.FloatData;
import dev.keel.serving.runtime.TensorData.IntData;
import dev.keel.serving.runtime.TensorData.LongData;

import java.util.Arrays;
import java.util.Objects;

/**
 * One named input or output of a model, as the Open Inference Protocol describes it: a datatype,
 * a shape covering the whole batch, and the values flat in row-major order.
 *
 * <p>A tensor checks itself — the values fill the shape exactly and each fits the datatype — so
 * the HTTP layer gets a 400 naming the tensor the moment it parses one; whether the model takes
 * such a tensor is the runtime's check against the signature. Like {@link TensorData}, the
 * {@code shape} array is handed over, not copied.
 */
public record Tensor(String name, Datatype datatype, long[] shape, TensorData data) {
    /** More dimensions than any model takes is a malformed request, not a model. */
    public static final int MAX_RANK = 32;

    public Tensor {
        if (name == null || name.isBlank()) {
            throw KeelException.invalid("a tensor needs a 'name'");
        }
        if (datatype == null) {
            throw KeelException.invalid("tensor '" + name + "' needs a 'datatype'");
        }
        if (shape == null) {
            throw KeelException.invalid("tensor '" + name + "' needs a 'shape'");
        }
        if (data == null) {
            throw KeelException.invalid("tensor '" + name + "' needs its 'data'");
        }
        if (shape.length > MAX_RANK) {
            throw KeelException.invalid("tensor '" + name + "' has " + shape.length + " dimensions; at most "
                    + MAX_RANK + " are allowed");
        }
        long count = 1;
        for (long dim : shape) {
            if (dim < 0) {
                throw KeelException.invalid("tensor '" + name + "' has shape " + Arrays.toString(shape)
                        + "; a dimension cannot be negative");
            }
            try {
                count = Math.multiplyExact(count, dim);
            } catch (ArithmeticException e) {
                count = Long.MAX_VALUE;
            }
        }
        if (count != data.length()) {
            throw KeelException.invalid("tensor '" + name + "' has " + data.length() + " values; its shape "
                    + Arrays.toString(shape) + " holds " + (count == Long.MAX_VALUE ? "too many" : count));
        }
        requireKind(name, datatype, data);
        requireInRange(name, datatype, data);
    }

    public static Tensor fp32(String name, long[] shape, float... values) {
        return new Tensor(name, Datatype.FP32, shape, new FloatData(values));
    }

    public static Tensor fp64(String name, long[] shape, double... values) {
        return new Tensor(name, Datatype.FP64, shape, new DoubleData(values));
    }

    public static Tensor int64(String name, long[] shape, long... values) {
        return new Tensor(name, Datatype.INT64, shape, new LongData(values));
    }

    public static Tensor int32(String name, long[] shape, int... values) {
        return new Tensor(name, Datatype.INT32, shape, new IntData(values));
    }

    public static Tensor bool(String name, long[] shape, boolean... values) {
        return new Tensor(name, Datatype.BOOL, shape, new BoolData(values));
    }

    public static Tensor bytes(String name, long[] shape, String... values) {
        return new Tensor(name, Datatype.BYTES, shape, new BytesData(values));
    }

    /** The values of an FP16 or FP32 tensor. */
    public float[] floats() {
        return ((FloatData) data).values();
    }

    /** The values of an FP64 tensor. */
    public double[] doubles() {
        return ((DoubleData) data).values();
    }

    /** The values of an INT64, UINT32 or UINT64 tensor. */
    public long[] longs() {
        return ((LongData) data).values();
    }

    /** The values of an INT8, INT16, INT32, UINT8 or UINT16 tensor. */
    public int[] ints() {
        return ((IntData) data).values();
    }

    /** The values of a BOOL tensor. */
    public boolean[] booleans() {
        return ((BoolData) data).values();
    }

    /** The values of a BYTES tensor. */
    public String[] strings() {
        return ((BytesData) data).values();
    }

    private static void requireKind(String name, Datatype datatype, TensorData data) {
        boolean matches = switch (datatype.kind()) {
            case BOOL -> data instanceof BoolData;
            case INT -> data instanceof IntData;
            case LONG -> data instanceof LongData;
            case FLOAT -> data instanceof FloatData;
            case DOUBLE -> data instanceof DoubleData;
            case BYTES -> data instanceof BytesData;
        };
        if (!matches) {
            // a programming error in whoever built the tensor, never the client's input
            throw new IllegalArgumentException("tensor '" + name + "' of datatype " + datatype + " cannot hold "
                    + data.getClass().getSimpleName());
        }
    }

    private static void requireInRange(String name, Datatype datatype, TensorData data) {
        switch (datatype) {
            case INT8 -> requireInts(name, datatype, ((IntData) data).values(), Byte.MIN_VALUE, Byte.MAX_VALUE);
            case UINT8 -> requireInts(name, datatype, ((IntData) data).values(), 0, 0xFF);
            case INT16 -> requireInts(name, datatype, ((IntData) data).values(), Short.MIN_VALUE, Short.MAX_VALUE);
            case UINT16 -> requireInts(name, datatype, ((IntData) data).values(), 0, 0xFFFF);
            case UINT32 -> {
                long[] values = ((LongData) data).values();
                for (int i = 0; i < values.length; i++) {
                    if (values[i] < 0 || values[i] > 0xFFFF_FFFFL) {
                        throw outOfRange(name, datatype, i, Long.toString(values[i]));
                    }
                }
            }
            case BYTES -> {
                String[] values = ((BytesData) data).values();
                for (int i = 0; i < values.length; i++) {
                    if (values[i] == null) {
                        throw KeelException.invalid("tensor '" + name + "' has null at position " + i
                                + "; BYTES values must be strings");
                    }
                }
            }
            default -> {
                // every value of the holding array fits
            }
        }
    }

    private static void requireInts(String name, Datatype datatype, int[] values, int min, int max) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] < min || values[i] > max) {
                throw outOfRange(name, datatype, i, Integer.toString(values[i]));
            }
        }
    }

    private static KeelException outOfRange(String name, Datatype datatype, int position, String value) {
        return KeelException.invalid("tensor '" + name + "' has " + value + " at position " + position
                + ", outside the range of " + datatype);
    }

    /** Equal when name, datatype, shape and every value are equal (arrays compared by content). */
    @Override
    public boolean equals(Object other) {
        return other instanceof Tensor that && name.equals(that.name) && datatype == that.datatype
                && Arrays.equals(shape, that.shape) && sameValues(data, that.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, datatype, Arrays.hashCode(shape));
    }

    @Override
    public String toString() {
        return "Tensor[" + name + " " + datatype + " " + Arrays.toString(shape) + "]";
    }

    private static boolean sameValues(TensorData a, TensorData b) {
        // each kind holds its own array type, so data of two kinds is never equal
        return Objects.deepEquals(a.array(), b.array());
    }
}
