package dev.keel.server.inference;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.keel.serving.runtime.Tensor;

import java.io.IOException;
import java.util.List;

/** An Open Inference Protocol infer answer: which model and version answered, the echoed id, the outputs. */
record InferResponse(String modelName, String modelVersion, String id, List<Tensor> outputs) {

    byte[] toJson() {
        return TensorJson.render(this::write);
    }

    private void write(JsonGenerator out) throws IOException {
        out.writeStartObject();
        out.writeStringField("model_name", modelName);
        if (modelVersion != null) {
            out.writeStringField("model_version", modelVersion);
        }
        if (id != null) {
            out.writeStringField("id", id);
        }
        out.writeFieldName("outputs");
        out.writeStartArray();
        for (Tensor tensor : outputs) {
            TensorJson.writeTensor(out, tensor);
        }
        out.writeEndArray();
        out.writeEndObject();
    }
}
