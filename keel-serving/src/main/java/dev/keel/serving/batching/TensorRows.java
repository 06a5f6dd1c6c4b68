package dev.keel.serving.batching;

import dev.keel.serving.runtime.Tensor;
import dev.keel.serving.runtime.TensorData;
import dev.keel.serving.runtime.TensorData.BoolData;
import dev.keel.serving.runtime.TensorData.BytesData;
import dev.keel.serving.runtime.TensorData.DoubleData;
import dev.keel.serving.runtime.TensorData.FloatData;
import dev.keel.serving.runtime.TensorData.IntData;
import dev.keel.serving.runtime.TensorData.LongData;

import java.util.Arrays;
import java.util.List;

/**
 * Tensors seen as rows along their first dimension: how one request's tensors join others' in a
 * batch and how a batch's outputs are cut back into each request's rows. Values are flat and
 * row-major, so a row of a tensor is one contiguous run of {@code product(shape[1..])} values.
 */
final class TensorRows {
    private TensorRows() {
    }

    /**
     * How many rows {@code inputs} carry when every tensor's first dimension is the batch (the
     * same count for all of them, at least one), or -1 when they cannot be batched.
     */
    static long rows(List<Tensor> inputs) {
        long rows = -1;
        for (Tensor tensor : inputs) {
            if (tensor.shape().length == 0) {
                return -1;
            }
            long first = tensor.shape()[0];
            if (first < 1 || (rows >= 0 && first != rows)) {
                return -1;
            }
            rows = first;
        }
        return rows;
    }

    /** Whether two tensors can be stacked: same name, datatype, and every dimension but the first. */
    static boolean stackable(Tensor a, Tensor b) {
        return a.name().equals(b.name()) && a.datatype() == b.datatype() && a.shape().length == b.shape().length
                && Arrays.equals(a.shape(), 1, a.shape().length, b.shape(), 1, b.shape().length);
    }

    /** The tensors stacked along the first dimension, in the order given. They must be {@link #stackable}. */
    static Tensor concat(List<Tensor> parts) {
        Tensor first = parts.get(0);
        long rows = 0;
        int length = 0;
        for (Tensor part : parts) {
            rows += part.shape()[0];
            length += part.data().length();
        }
        long[] shape = first.shape().clone();
        shape[0] = rows;
        // one copy loop for every kind: System.arraycopy takes any array, as long as both are of one type
        TensorData data = first.data().ofLength(length);
        Object values = data.array();
        int at = 0;
        for (Tensor part : parts) {
            int count = part.data().length();
            System.arraycopy(part.data().array(), 0, values, at, count);
            at += count;
        }
        return new Tensor(first.name(), first.datatype(), shape, data);
    }

    /** Rows {@code [from, from + count)} of {@code tensor}, as a tensor of their own. */
    static Tensor slice(Tensor tensor, long from, long count) {
        long[] shape = tensor.shape().clone();
        shape[0] = count;
        long rowValues = 1;
        for (int d = 1; d < shape.length; d++) {
            rowValues *= shape[d];
        }
        int start = Math.toIntExact(from * rowValues);
        int end = Math.toIntExact((from + count) * rowValues);
        TensorData data = tensor.data();
        TensorData part;
        if (data instanceof FloatData floats) {
            part = new FloatData(Arrays.copyOfRange(floats.values(), start, end));
        } else if (data instanceof DoubleData doubles) {
            part = new DoubleData(Arrays.copyOfRange(doubles.values(), start, end));
        } else if (data instanceof LongData longs) {
            part = new LongData(Arrays.copyOfRange(longs.values(), start, end));
        } else if (data instanceof IntData ints) {
            part = new IntData(Arrays.copyOfRange(ints.values(), start, end));
        } else if (data instanceof BoolData bools) {
            part = new BoolData(Arrays.copyOfRange(bools.values(), start, end));
        } else {
            part = new BytesData(Arrays.copyOfRange(((BytesData) data).values(), start, end));
        }
        return new Tensor(tensor.name(), tensor.datatype(), shape, part);
    }
}
