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
