package dev.keel.registry.flavor;

import dev.keel.api.registry.flavor.TensorSpec;
import dev.keel.core.KeelException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * MLflow's {@code MLmodel} file: which flavors the model was saved with and, optionally, its
 * signature. Only what Keel needs is read; the rest (python_function's loader, conda files)
 * belongs to Python.
 *
 * <pre>
 * flavors:
 *   onnx: {onnx_model: model.onnx, onnx_version: 1.16.0, ...}
 *   python_function: {...}
 * signature:
 *   inputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 4]}, "name": "input"}]'
 *   outputs: '[...]'
 * </pre>
 *
 * Keel's own Tribuo models use the same layout with a {@code tribuo} flavor whose
 * {@code model_file} names the protobuf file.
 */
record MlflowModel(List<String> flavors, Optional<String> onnxModel, Optional<String> tribuoModel,
                   Optional<List<TensorSpec>> inputs, Optional<List<TensorSpec>> outputs) {
    static final String FILE = "MLmodel";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static MlflowModel read(InputStream stream) throws IOException {
        JsonNode root;
        try {
            root = YAML.readTree(stream);
        } catch (JsonProcessingException e) {
            throw KeelException.invalid("model file '" + FILE + "' is not valid YAML: " + e.getOriginalMessage().replaceAll("\\s+", " "));
        }
        if (root == null || !root.isObject()) {
            throw KeelException.invalid("model file '" + FILE + "' must be a YAML mapping with 'flavors'");
        }
        JsonNode flavors = root.path("flavors");
        if (!flavors.isObject()) {
            throw KeelException.invalid("model file '" + FILE + "' has no 'flavors' mapping");
        }
        List<String> names = new ArrayList<>();
        flavors.fieldNames().forEachRemaining(names::add);
        JsonNode signature = root.path("signature");
        return new MlflowModel(names,
                fileOf(flavors, "onnx", "onnx_model"),
                fileOf(flavors, "tribuo", "model_file"),
                MlflowSignature.parse(signature.path("inputs"), "signature.inputs"),
                MlflowSignature.parse(signature.path("outputs"), "signature.outputs"));
    }

    /** The file a flavor loads, relative to the MLmodel's directory; required when the flavor is present. */
    private static Optional<String> fileOf(JsonNode flavors, String flavor, String field) {
        if (!flavors.has(flavor)) {
            return Optional.empty();
        }
        JsonNode file = flavors.path(flavor).path(field);
        if (!file.isTextual() || file.asText().isBlank()) {
            throw KeelException.invalid("model file '" + FILE + "' has a '" + flavor + "' flavor without 'flavors."
                    + flavor + "." + field + "' naming its model file");
        }
        String path = file.asText().strip();
        return Optional.of(path.startsWith("./") ? path.substring(2) : path);
    }
}
