package dev.keel.serving.runtime;

import dev.keel.api.registry.flavor.TensorSpec;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A model's input signature compiled for the request path: every request's tensors are checked
 * here before the model sees them, and a mismatch is a 400 naming the input and what was
 * expected — never a crash inside the runtime, never a 500.
 *
 * <p>Checked: every input the signature names is given once and no other; the datatype is the
 * signature's exactly (no silent widening: an FP64 input to an FP32 model would lose precision
 * the client never agreed to lose); the rank and every fixed dimension match ({@code -1} in the
 * signature takes any size; a signature without a shape takes any rank); and float inputs hold
 * no NaN or ±infinity unless {@link NonFiniteInputs} allows it for that input. That the values
 * fill the shape is the {@link Tensor}'s own check.
 */
final class InputContract {
    private final ModelKey model;
    private final String[] names;
    private final Datatype[] datatypes;
    private final long[][] dims;
    private final boolean[] nonFiniteAllowed;
    private final Map<String, Integer> positions;

    /** @throws KeelException NOT_IMPLEMENTED naming the input when its type is one no client can send */
    InputContract(ModelKey model, List<TensorSpec> inputs, NonFiniteInputs nonFinite) {
        this.model = model;
        int count = inputs.size();
        this.names = new String[count];
        this.datatypes = new Datatype[count];
        this.dims = new long[count][];
        this.nonFiniteAllowed = new boolean[count];
        this.positions = new HashMap<>(count * 2);
        for (int i = 0; i < count; i++) {
            TensorSpec spec = inputs.get(i);
            names[i] = spec.name();
            datatypes[i] = Datatype.ofSignatureType(spec.type()).orElseThrow(() -> new KeelException(
                    ErrorCode.NOT_IMPLEMENTED, model + " cannot be served: its input '" + spec.name()
                    + "' has type " + spec.type() + ", which the inference protocol cannot carry"));
            dims[i] = spec.shape().stream().mapToLong(Long::longValue).toArray();
            nonFiniteAllowed[i] = nonFinite.allows(spec.name());
            positions.put(spec.name(), i);
        }
    }

    int size() {
        return names.length;
    }

    String name(int position) {
        return names[position];
    }

    Datatype datatype(int position) {
        return datatypes[position];
    }

    /** The request's tensors in signature order, each checked; a 400 naming the first input at fault. */
    Tensor[] check(List<Tensor> inputs) {
        if (inputs == null) {
            throw KeelException.invalid("'inputs' are missing; " + model + " expects " + expected());
        }
        Tensor[] ordered = new Tensor[names.length];
        for (Tensor tensor : inputs) {
            Integer position = positions.get(tensor.name());
            if (position == null) {
                throw KeelException.invalid("input '" + tensor.name() + "' is not an input of " + model
                        + "; it expects " + expected());
            }
            int i = position;
            if (ordered[i] != null) {
                throw KeelException.invalid("input '" + tensor.name() + "' is given twice");
            }
            requireDatatype(i, tensor);
            requireShape(i, tensor);
            if (!nonFiniteAllowed[i]) {
                requireFinite(i, tensor);
            }
            ordered[i] = tensor;
        }
        if (inputs.size() != names.length) {
            List<String> missing = new ArrayList<>();
            for (int i = 0; i < names.length; i++) {
                if (ordered[i] == null) {
                    missing.add(names[i]);
                }
            }
            throw KeelException.invalid((missing.size() == 1 ? "input '" + missing.get(0) + "' is"
                    : "inputs " + sample(missing) + " are") + " missing; " + model + " expects " + expected());
        }
        return ordered;
    }

    private void requireDatatype(int i, Tensor tensor) {
        if (tensor.datatype() != datatypes[i]) {
            throw KeelException.invalid("input '" + names[i] + "' is " + tensor.datatype() + "; " + model
                    + " expects " + datatypes[i]);
        }
    }

    private void requireShape(int i, Tensor tensor) {
        long[] expected = dims[i];
        if (expected.length == 0) {
            return;
        }
        long[] shape = tensor.shape();
        boolean fits = shape.length == expected.length;
        for (int d = 0; fits && d < shape.length; d++) {
            fits = expected[d] < 0 || expected[d] == shape[d];
        }
        if (!fits) {
            throw KeelException.invalid("input '" + names[i] + "' has shape " + Arrays.toString(shape) + "; "
                    + model + " expects " + Arrays.toString(expected) + " (-1: any size)");
        }
    }

    private void requireFinite(int i, Tensor tensor) {
        if (tensor.data() instanceof TensorData.FloatData floats) {
            float[] values = floats.values();
            for (int v = 0; v < values.length; v++) {
                if (!Float.isFinite(values[v])) {
                    throw nonFinite(i, v, Float.toString(values[v]));
                }
            }
        } else if (tensor.data() instanceof TensorData.DoubleData doubles) {
            double[] values = doubles.values();
            for (int v = 0; v < values.length; v++) {
                if (!Double.isFinite(values[v])) {
                    throw nonFinite(i, v, Double.toString(values[v]));
                }
            }
        }
    }

    private KeelException nonFinite(int i, int position, String value) {
        return KeelException.invalid("input '" + names[i] + "' holds " + value + " at position " + position + "; "
                + model + " does not accept NaN or infinite values in '" + names[i] + "' (a version allows them "
                + "with the tag " + NonFiniteInputs.TAG + ")");
    }

    private String expected() {
        List<String> described = new ArrayList<>();
        for (int i = 0; i < names.length && i < 10; i++) {
            described.add(names[i] + " " + datatypes[i] + " " + Arrays.toString(dims[i]));
        }
        return names.length == 1 ? "one input: " + described.get(0)
                : names.length + " inputs: " + String.join(", ", described) + (names.length > 10 ? ", …" : "");
    }

    private static String sample(List<String> names) {
        return names.size() <= 10 ? names.toString() : names.subList(0, 10) + " and " + (names.size() - 10) + " more";
    }
}
