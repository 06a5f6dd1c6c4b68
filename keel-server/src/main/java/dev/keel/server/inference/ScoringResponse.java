package dev.keel.server.inference;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.keel.serving.runtime.Tensor;

import java.io.IOException;
import java.util.List;

/**
 * MLflow's scoring answer, {@code {"predictions": …}}, shaped as its pyfunc server shapes a
 * model's output: one output gives one entry per row (a value for {@code [rows]}, a list for
 * {@code [rows, k]}); several outputs give one record per row, {@code {output: value-or-list}}.
 */
record ScoringResponse(List<Tensor> outputs) {

    byte[] toJson() {
        return TensorJson.render(this::write);
    }

    private void write(JsonGenerator out) throws IOException {
        out.writeStartObject();
        out.writeFieldName("predictions");
        out.writeStartArray();
        int rows = outputs.isEmpty() ? 0 : rows(outputs.get(0));
        for (int row = 0; row < rows; row++) {
            if (outputs.size() == 1) {
                writeRow(out, outputs.get(0), row);
            } else {
                out.writeStartObject();
                for (Tensor output : outputs) {
                    out.writeFieldName(output.name());
                    writeRow(out, output, row);
                }
                out.writeEndObject();
            }
        }
        out.writeEndArray();
        out.writeEndObject();
    }

    private static int rows(Tensor tensor) {
        return tensor.shape().length == 0 ? 1 : (int) tensor.shape()[0];
    }

    /** Row {@code row} of {@code tensor}: a scalar for a 1-D tensor, otherwise the row's values flat. */
    private static void writeRow(JsonGenerator out, Tensor tensor, int row) throws IOException {
        long[] shape = tensor.shape();
        if (shape.length <= 1) {
            TensorJson.writeValue(out, tensor.data(), row);
            return;
        }
        int width = tensor.data().length() / (int) shape[0];
        out.writeStartArray();
        TensorJson.writeRange(out, tensor.data(), row * width, (row + 1) * width);
        out.writeEndArray();
    }
}
