package dev.keel.core;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Keys and artifact paths: what MLflow accepts is accepted, what could lead out of a tree is not. */
class ChecksTest {

    @ParameterizedTest
    @ValueSource(strings = {"auc", "train/loss", "lr.decay", "my metric", "a-b_c", "données", "x..y", "..hidden", "a/b.c/d"})
    void keys_mlflow_accepts_are_accepted(String key) {
        assertThat(Checks.requireValidKey("metric key", key)).isEqualTo(key);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../up", "a/../b", "..", ".", "./a", "a/.", "/abs", "a//b", "bad!", "semi;colon", "tab\tkey", "new\nline"})
    void keys_that_path_normalisation_would_change_or_mlflow_refuses_are_refused(String key) {
        assertThatThrownBy(() -> Checks.requireValidKey("metric key", key))
                .isInstanceOf(KeelException.class)
                .hasMessageContaining("metric key")
                .satisfies(e -> assertThat(((KeelException) e).code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void a_blank_key_is_a_missing_key(String key) {
        assertThatThrownBy(() -> Checks.requireValidKey("param key", key)).hasMessageContaining("'param key'");
    }

    @ParameterizedTest
    @ValueSource(ints = {250, 251})
    void keys_are_at_most_250_characters(int length) {
        String key = "k".repeat(length);
        if (length <= 250) {
            assertThat(Checks.requireValidKey("tag key", key)).hasSize(length);
        } else {
            assertThatThrownBy(() -> Checks.requireValidKey("tag key", key)).hasMessageContaining("251");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"model/model.onnx", "a", "dir/sub/file.txt", "with space/ok"})
    void relative_artifact_paths_are_accepted(String path) {
        assertThat(ArtifactPath.of(path).value()).isEqualTo(path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/etc/passwd", "../x", "a/../../b", "a/./b", "a\\b", "C:/x", "a//b", "nul\u0000byte"})
    void artifact_paths_that_could_lead_out_are_refused(String path) {
        assertThatThrownBy(() -> ArtifactPath.of(path)).isInstanceOf(KeelException.class).hasMessageContaining("path");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0123456789abcdef0123456789abcdef"})
    void run_ids_are_32_lowercase_hex_characters(String id) {
        assertThat(Ids.isRunId(id)).isTrue();
        assertThat(Ids.isRunId(id.toUpperCase())).isFalse();
        assertThat(Ids.isRunId(id.substring(1))).isFalse();
        assertThat(Ids.isRunId(new Ids(new java.util.Random(1)).newRunId())).isTrue();
    }
}
