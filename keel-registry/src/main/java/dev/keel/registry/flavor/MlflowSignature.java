package dev.keel.registry.flavor;

import dev.keel.api.registry.flavor.TensorSpec;
import dev.keel.core.KeelException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One side of an MLmodel {@code signature}: a JSON string listing either tensor specs
 * ({@code {"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 4]}, "name": "x"}})
 * or column specs ({@code {"type": "double", "name": "x"}}), as MLflow writes them. Columns become
 * tensors of shape {@code [-1]}, one row per example; MLflow's column types map to the element
 * names the ONNX graph uses. A spec without a name gets an empty one, for the caller to fill.
 */
final class MlflowSignature {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MlflowSignature() {
    }

    static Optional<List<TensorSpec>> parse(JsonNode side, String field) {
        if (side.isMissingNode() || side.isNull()) {
            return Optional.empty();
        }
        JsonNode specs = side;
        if (side.isTextual()) {
            try {
                specs = JSON.readTree(side.asText());
            } catch (JsonProcessingException e) {
                throw invalid(field, "is not valid JSON: " + e.getOriginalMessage());
            }
        }
        if (!specs.isArray()) {
            throw invalid(field, "must be a JSON list of column or tensor specs");
        }
        List<TensorSpec> tensors = new ArrayList<>();
        for (JsonNode spec : specs) {
            tensors.add(spec(spec, field + "[" + tensors.size() + "]"));
        }
        return Optional.of(tensors);
    }

    private static TensorSpec spec(JsonNode spec, String field) {
        String name = spec.path("name").isTextual() ? spec.path("name").asText() : "";
        String type = spec.path("type").asText("");
        if ("tensor".equals(type)) {
            JsonNode tensor = spec.path("tensor-spec");
            if (!tensor.path("dtype").isTextual() || !tensor.path("shape").isArray()) {
                throw invalid(field, "is a tensor without 'tensor-spec' {dtype, shape}");
            }
            List<Long> shape = new ArrayList<>();
            for (JsonNode dim : tensor.path("shape")) {
                if (!dim.canConvertToLong()) {
                    throw invalid(field, "has a non-integer dimension '" + dim + "' in its shape");
                }
                shape.add(dim.asLong() < 0 ? -1L : dim.asLong());
            }
            return new TensorSpec(name, dtype(tensor.path("dtype").asText()), shape);
        }
        if (type.isEmpty()) {
            throw invalid(field, "has no 'type'");
        }
        return new TensorSpec(name, columnType(type), List.of(-1L));
    }

    /** numpy dtype names as MLflow writes them; strings are numpy's "str" or "object". */
    private static String dtype(String dtype) {
        String lower = dtype.toLowerCase(Locale.ROOT);
        return switch (lower) {
            case "str", "object", "unicode" -> "string";
            case "bytes" -> "bytes";
            case "bool_" -> "bool";
            default -> lower.startsWith("<u") || lower.startsWith("|u") ? "string" : lower;
        };
    }

    /** MLflow's column types (mlflow.types.DataType). */
    private static String columnType(String type) {
        return switch (type) {
            case "boolean" -> "bool";
            case "integer" -> "int32";
            case "long" -> "int64";
            case "float" -> "float32";
            case "double" -> "float64";
            case "string" -> "string";
            case "binary" -> "bytes";
            case "datetime" -> "datetime";
            default -> type;
        };
    }

    private static KeelException invalid(String field, String problem) {
        return KeelException.invalid("model file 'MLmodel' " + field + " " + problem);
    }
}
