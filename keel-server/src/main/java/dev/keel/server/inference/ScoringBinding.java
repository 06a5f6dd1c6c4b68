package dev.keel.server.inference;

import dev.keel.api.registry.flavor.Signature;
import dev.keel.api.registry.flavor.TensorSpec;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import dev.keel.serving.runtime.Datatype;
import dev.keel.serving.runtime.Tensor;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Fits a scoring request to the signature of the model that answers it, as MLflow's pyfunc does:
 * <ul>
 * <li>a frame whose columns are the model's inputs (a Tribuo model takes one input per feature)
 *     gives one {@code [rows]} tensor per column;</li>
 * <li>a frame for a model with one two-dimensional input (an ONNX export takes
 *     {@code [batch, features]}) gives one {@code [rows, columns]} tensor, columns in the order
 *     sent;</li>
 * <li>an unnamed nested list feeds a model's one input, named arrays feed the inputs they name.</li>
 * </ul>
 * Element types come from the signature, so {@code 1} reaches an FP32 input as 1.0f.
 */
final class ScoringBinding {
    private final int maxValues;

    ScoringBinding(int maxValues) {
        this.maxValues = maxValues;
    }

    List<Tensor> bind(ScoringInput input, Signature signature) {
        List<TensorSpec> specs = signature.inputs();
        if (input instanceof ScoringInput.Frame frame) {
            return frame(frame, specs);
        }
        if (input instanceof ScoringInput.Unnamed unnamed) {
            if (specs.size() != 1) {
                throw KeelException.invalid("the model takes " + specs.size() + " inputs (" + names(specs)
                        + "); send them by name as an object, or as records with one column per input");
            }
            return List.of(nested(specs.get(0), unnamed.values()));
        }
        Map<String, JsonNode> named = ((ScoringInput.Named) input).tensors();
        List<Tensor> tensors = new ArrayList<>(named.size());
        for (Map.Entry<String, JsonNode> entry : named.entrySet()) {
            TensorSpec spec = spec(specs, entry.getKey());
            tensors.add(nested(spec, entry.getValue()));
        }
        return tensors;
    }

    private List<Tensor> frame(ScoringInput.Frame frame, List<TensorSpec> specs) {
        int rows = frame.rows().size();
        List<String> columns = frame.columns();
        boolean byColumn = specs.stream().allMatch(spec -> columns.contains(spec.name()) && spec.shape().size() <= 2)
                && (specs.size() > 1 || columns.size() == 1);
        if (byColumn) {
            List<Tensor> tensors = new ArrayList<>(columns.size());
            for (int c = 0; c < columns.size(); c++) {
                TensorSpec spec = spec(specs, columns.get(c));
                ArrayNode values = JsonNodeFactory.instance.arrayNode(rows);
                for (JsonNode[] row : frame.rows()) {
                    values.add(row[c]);
                }
                long[] shape = spec.shape().size() == 2 ? new long[] {rows, 1} : new long[] {rows};
                tensors.add(tensor(spec, values, shape));
            }
            return tensors;
        }
        if (specs.size() == 1 && specs.get(0).shape().size() == 2) {
            TensorSpec spec = specs.get(0);
            long width = spec.shape().get(1);
            if (width >= 0 && width != columns.size()) {
                throw KeelException.invalid("input '" + spec.name() + "' takes " + width + " columns per row; the request"
                        + " has " + columns.size() + " (" + String.join(", ", columns) + ")");
            }
            ArrayNode values = JsonNodeFactory.instance.arrayNode(rows * columns.size());
            for (JsonNode[] row : frame.rows()) {
                for (JsonNode value : row) {
                    values.add(value);
                }
            }
            return List.of(tensor(spec, values, new long[] {rows, columns.size()}));
        }
        List<String> missing = specs.stream().map(TensorSpec::name).filter(name -> !columns.contains(name)).toList();
        throw KeelException.invalid("the request's columns (" + String.join(", ", columns) + ") do not fit the model's"
                + " inputs (" + names(specs) + ")" + (missing.isEmpty() ? "" : "; missing: " + String.join(", ", missing)));
    }

    private Tensor nested(TensorSpec spec, JsonNode values) {
        return tensor(spec, values, NestedShape.of(spec.name(), values));
    }

    private Tensor tensor(TensorSpec spec, JsonNode values, long[] shape) {
        Datatype datatype = Datatype.ofSignatureType(spec.type()).orElseThrow(() -> new KeelException(
                ErrorCode.NOT_IMPLEMENTED, "input '" + spec.name() + "' has type " + spec.type()
                + ", which cannot be sent as JSON"));
        try (JsonParser parser = values.traverse()) {
            parser.nextToken();
            TensorValues read = TensorValues.read(parser, spec.name(), maxValues);
            return new Tensor(spec.name(), datatype, shape, read.as(datatype));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static TensorSpec spec(List<TensorSpec> specs, String name) {
        for (TensorSpec spec : specs) {
            if (spec.name().equals(name)) {
                return spec;
            }
        }
        throw KeelException.invalid("the model has no input '" + name + "'; its inputs are " + names(specs));
    }

    private static String names(List<TensorSpec> specs) {
        List<String> names = specs.stream().map(TensorSpec::name).toList();
        return names.size() <= 12 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 12)) + " and " + (names.size() - 12) + " more";
    }

    /** The shape of a nested JSON array, refusing ragged ones (their value count could match a wrong shape). */
    static final class NestedShape {
        private NestedShape() {
        }

        static long[] of(String input, JsonNode values) {
            List<Long> dims = new ArrayList<>();
            JsonNode probe = values;
            while (probe.isArray()) {
                dims.add((long) probe.size());
                if (probe.isEmpty() || dims.size() > Tensor.MAX_RANK) {
                    break;
                }
                probe = probe.get(0);
            }
            long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
            if (shape.length > Tensor.MAX_RANK) {
                throw KeelException.invalid("input '" + input + "' is nested deeper than " + Tensor.MAX_RANK + " levels");
            }
            requireRectangular(input, values, shape, 0);
            return shape;
        }

        private static void requireRectangular(String input, JsonNode node, long[] shape, int depth) {
            if (depth == shape.length) {
                if (node.isArray()) {
                    throw ragged(input, shape);
                }
                return;
            }
            if (!node.isArray() || node.size() != shape[depth]) {
                throw ragged(input, shape);
            }
            for (JsonNode child : node) {
                requireRectangular(input, child, shape, depth + 1);
            }
        }

        private static KeelException ragged(String input, long[] shape) {
            return KeelException.invalid("input '" + input + "' is a ragged array; every row must have the same"
                    + " length (the first rows give the shape " + Arrays.toString(shape) + ")");
        }
    }
}
