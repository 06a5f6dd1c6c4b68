package dev.keel.registry.flavor;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static dev.keel.registry.flavor.InspectionRefusals.assertRefused;

class ModelFilesBadInputTest {
    @Test
    void no_files_at_all_is_refused() {
        assertRefused(new FilesInMemory(), "none given");
    }

    @Test
    void files_without_a_model_are_refused_naming_what_was_found() {
        assertRefused(new FilesInMemory().with("README.md", "a model").with("data/train.csv", "a,b\n1,2\n"),
                "[README.md, data/train.csv]", "*.onnx");
    }

    @Test
    void two_onnx_files_are_refused_naming_both() {
        byte[] onnx = TinyClassifier.onnx();
        assertRefused(new FilesInMemory().with("b.onnx", onnx).with("a.onnx", onnx), "[a.onnx, b.onnx]");
    }

    @Test
    void an_onnx_and_a_tribuo_file_together_are_refused_naming_both() {
        assertRefused(new FilesInMemory().with("model.tribuo", TinyClassifier.protobuf())
                .with("model.onnx", TinyClassifier.onnx()), "[model.onnx, model.tribuo]");
    }

    @Test
    void random_bytes_named_onnx_are_refused_naming_the_file() {
        byte[] garbage = new byte[4096];
        new Random(42).nextBytes(garbage);
        assertRefused(new FilesInMemory().with("model.onnx", garbage), "'model.onnx'");
    }

    @Test
    void text_named_onnx_is_refused_naming_the_file() {
        assertRefused(new FilesInMemory().with("model.onnx", "this is not a model".getBytes(StandardCharsets.UTF_8)),
                "'model.onnx'");
    }

    @Test
    void an_empty_onnx_file_is_refused_because_it_has_no_graph() {
        assertRefused(new FilesInMemory().with("model.onnx", new byte[0]),
                "'model.onnx' is not an ONNX model: it has no graph");
    }

    @Test
    void a_truncated_onnx_file_is_refused_naming_the_file() {
        byte[] onnx = TinyClassifier.onnx();
        assertRefused(new FilesInMemory().with("model.onnx", Arrays.copyOf(onnx, onnx.length / 2)), "'model.onnx'");
    }
}
