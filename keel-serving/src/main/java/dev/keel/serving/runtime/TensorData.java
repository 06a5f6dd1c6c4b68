package dev.keel.serving.runtime;

import java.util.Objects;

/**
 * A tensor's values, flat and row-major, in one primitive array: no boxing between the JSON
 * parser and the model. The arrays are handed over, not copied — whoever builds a record must
 * not change its array afterwards — because copying every request's data would cost more than
 * the small models Keel serves take to run.
 */
public sealed interface TensorData {

    /** How many values there are. */
    int length();

    /**
     * The array holding the values — {@code float[]}, {@code double[]}, {@code long[]},
     * {@code int[]}, {@code boolean[]} or {@code String[]} — for code that copies or compares
     * every kind alike ({@link System#arraycopy}, {@link java.util.Objects#deepEquals}).
     */
    default Object array() {
        if (this instanceof FloatData data) {
            return data.values();
        }
        if (this instanceof DoubleData data) {
            return data.values();
        }
        if (this instanceof LongData data) {
            return data.values();
        }
        if (this instanceof IntData data) {
            return data.values();
        }
        if (this instanceof BoolData data) {
            return data.values();
        }
        return ((BytesData) this).values();
    }

    /** Data of the same kind as this, {@code length} values long, each zero (false, or null for BYTES) until written. */
    default TensorData ofLength(int length) {
        if (this instanceof FloatData) {
            return new FloatData(new float[length]);
        }
        if (this instanceof DoubleData) {
            return new DoubleData(new double[length]);
        }
        if (this instanceof LongData) {
            return new LongData(new long[length]);
        }
        if (this instanceof IntData) {
            return new IntData(new int[length]);
        }
        if (this instanceof BoolData) {
            return new BoolData(new boolean[length]);
        }
        return new BytesData(new String[length]);
    }

    /** FP16 and FP32. */
    record FloatData(float[] values) implements TensorData {
        public FloatData {
            Objects.requireNonNull(values, "values");
        }

        @Override
        public int length() {
            return values.length;
        }
    }

    /** FP64. */
    record DoubleData(double[] values) implements TensorData {
        public DoubleData {
            Objects.requireNonNull(values, "values");
        }

        @Override
        public int length() {
            return values.length;
        }
    }

    /** INT64, UINT32 and UINT64 (as its bits). */
    record LongData(long[] values) implements TensorData {
        public LongData {
            Objects.requireNonNull(values, "values");
        }

        @Override
        public int length() {
            return values.length;
        }
    }

    /** INT8, INT16, INT32, UINT8 and UINT16. */
    record IntData(int[] values) implements TensorData {
        public IntData {
            Objects.requireNonNull(values, "values");
        }

        @Override
        public int length() {
            return values.length;
        }
    }

    /** BOOL. */
    record BoolData(boolean[] values) implements TensorData {
        public BoolData {
            Objects.requireNonNull(values, "values");
        }

        @Override
        public int length() {
            return values.length;
        }
    }

    /** BYTES, as text (see {@link Datatype#BYTES}). */
    record BytesData(String[] values) implements TensorData {
        public BytesData {
            Objects.requireNonNull(values, "values");
        }

        @Override
        public int length() {
            return values.length;
        }
    }
}
