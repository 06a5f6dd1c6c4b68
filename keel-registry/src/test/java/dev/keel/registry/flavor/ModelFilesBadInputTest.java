package dev.keel.registry.flavor;

import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelFilesBadInputTest {
    @TempDir
    Path directory;

    @Test
    void no_files_at_all_is_refused() {
        assertThatThrownBy(() -> ModelInspector.inspect(new FilesInMemory()))
                .isInstanceOf(KeelException.class)
                .hasMessageContaining("none given")
                .extracting(e -> ((KeelException) e).code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
    }

    @Test
    void files_without_a_model_are_refused_naming_what_was_found() {
        var files = new FilesInMemory().with("README.md", "a model").with("data/train.csv", "a,b\n1,2\n");

        assertThatThrownBy(() -> ModelInspector.inspect(files))
                .isInstanceOf(KeelException.class)
                .hasMessageContaining("[README.md, data/train.csv]")
                .hasMessageContaining("*.onnx");
    }

    @Test
    void two_onnx_files_are_refused_naming_both() {
        byte[] onnx = TinyClassifier.onnx(directory);
        var files = new FilesInMemory().with("b.onnx", onnx).with("a.onnx", onnx);

        assertThatThrownBy(() -> ModelInspector.inspect(files))
                .isInstanceOf(KeelException.class)
                .hasMessageContaining("[a.onnx, b.onnx]")
                .extracting(e -> ((KeelException) e).code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
    }

    @Test
    void an_onnx_and_a_tribuo_file_together_are_refused_naming_both() {
        var files = new FilesInMemory().with("model.tribuo", TinyClassifier.protobuf())
                .with("model.onnx", TinyClassifier.onnx(directory));

        assertThatThrownBy(() -> ModelInspector.inspect(files))
                .isInstanceOf(KeelException.class)
                .hasMessageContaining("[model.onnx, model.tribuo]");
    }

    @Test
    void random_bytes_named_onnx_are_refused_naming_the_file() {
        byte[] garbage = new byte[4096];
        new Random(42).nextBytes(garbage);
        var files = new FilesInMemory().with("model.onnx", garbage);

        assertThatThrownBy(() -> ModelInspector.inspect(files))
                .isInstanceOf(KeelException.class)
                .hasMessageContaining("'model.onnx'")
                .extracting(e -> ((KeelException) e).code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
    }

    @Test
    void text_named_onnx_is_refused_naming_the_file() {
        var files = new FilesInMemory().with("model.onnx", "this is not a model".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> ModelInspector.inspect(files))
                .isInstanceOf(KeelException.class)
                .hasMessageContaining("'model.onnx'");
    }

    @Test
    void an_empty_onnx_file_is_refused_because_it_has_no_graph() {
        var files = new FilesInMemory().with("model.onnx", new byte[0]);

        assertThatThrownBy(() -> ModelInspector.inspect(files))
                .isInstanceOf(KeelException.class)
                .hasMessageContaining("'model.onnx' is not an ONNX model: it has no graph");
    }

    @Test
    void a_truncated_onnx_file_is_refused_naming_the_file() {
        byte[] onnx = TinyClassifier.onnx(directory);
        byte[] half = java.util.Arrays.copyOf(onnx, onnx.length / 2);
        var files = new FilesInMemory().with("model.onnx", half);

        assertThatThrownBy(() -> ModelInspector.inspect(files))
                .isInstanceOf(KeelException.class)
                .hasMessageContaining("'model.onnx'")
                .extracting(e -> ((KeelException) e).code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
    }
}
