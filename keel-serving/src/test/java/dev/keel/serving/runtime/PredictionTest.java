package dev.keel.serving.runtime;

import dev.keel.api.registry.flavor.Flavor;
import dev.keel.api.registry.flavor.TensorSpec;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Keel's answers from a registered model, on ONNX Runtime and on Tribuo, against Tribuo's own. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PredictionTest {
    private Path dir;
    private TestRegistry registry;
    private LogisticModel trained;
    private ModelRuntime onnx;
    private ModelRuntime tribuo;
    private final double[][] rows = LogisticModel.rows(50, 99);

    @BeforeAll
    void register() throws IOException {
        dir = Files.createTempDirectory("keel-serving-predict");
        registry = new TestRegistry(dir);
        trained = LogisticModel.train(7);
        registry.register("credit", trained.onnxDirectory(dir));
        registry.register("credit", trained.tribuoDirectory(dir));
        ModelLoader loader = registry.loader(dir.resolve("cache"));
        onnx = loader.open(loader.resolve(dev.keel.api.serving.ModelReference.parse("model", "models:/credit/1")));
        tribuo = loader.open(new ModelKey("credit", 2));
    }

    @AfterAll
    void close() {
        if (onnx != null) {
            onnx.close();
        }
        registry.close();
    }

    @Test
    void onnx_runtime_gives_tribuos_probabilities_for_the_same_rows() {
        List<Prediction<Label>> expected = trained.tribuoPredictions(rows);
        String[] labels = trained.labelsById();

        List<Tensor> outputs = onnx.predict(List.of(LogisticModel.onnxInput(rows)));

        assertThat(outputs).hasSize(1);
        Tensor scores = outputs.get(0);
        assertThat(scores.datatype()).isEqualTo(Datatype.FP32);
        assertThat(scores.shape()).containsExactly(rows.length, labels.length);
        for (int r = 0; r < rows.length; r++) {
            int best = 0;
            for (int c = 0; c < labels.length; c++) {
                double tribuoScore = expected.get(r).getOutputScores().get(labels[c]).getScore();
                assertThat((double) scores.floats()[r * labels.length + c]).as("row %d, %s", r, labels[c])
                        .isCloseTo(tribuoScore, within(1e-5));
                if (scores.floats()[r * labels.length + c] > scores.floats()[r * labels.length + best]) {
                    best = c;
                }
            }
            assertThat(labels[best]).as("row %d", r).isEqualTo(expected.get(r).getOutput().getLabel());
        }
    }

    @Test
    void one_row_at_a_time_gives_the_same_answers_as_the_batch() {
        float[] batch = onnx.predict(List.of(LogisticModel.onnxInput(rows))).get(0).floats();
        for (int r = 0; r < rows.length; r++) {
            float[] single = onnx.predict(List.of(LogisticModel.onnxInput(new double[][]{rows[r]}))).get(0).floats();
            for (int c = 0; c < single.length; c++) {
                assertThat(single[c]).isCloseTo(batch[r * single.length + c], within(1e-6f));
            }
        }
    }

    @Test
    void tribuo_runtime_gives_tribuos_labels_and_probabilities_exactly() {
        List<Prediction<Label>> expected = trained.tribuoPredictions(rows);
        String[] labels = trained.labelsById();

        List<Tensor> outputs = tribuo.predict(LogisticModel.tribuoInputs(rows));

        assertThat(outputs).extracting(Tensor::name).containsExactly("label", "probabilities");
        assertThat(outputs.get(0).shape()).containsExactly(rows.length);
        assertThat(outputs.get(1).shape()).containsExactly(rows.length, labels.length);
        for (int r = 0; r < rows.length; r++) {
            assertThat(outputs.get(0).strings()[r]).isEqualTo(expected.get(r).getOutput().getLabel());
            for (int c = 0; c < labels.length; c++) {
                assertThat(outputs.get(1).doubles()[r * labels.length + c])
                        .isEqualTo(expected.get(r).getOutputScores().get(labels[c]).getScore());
            }
        }
    }

    @Test
    void each_runtime_exposes_the_signature_it_checks() {
        assertThat(onnx.flavor()).isEqualTo(Flavor.ONNX);
        assertThat(onnx.signature().inputs()).containsExactly(
                new TensorSpec("input", "float32", List.of(-1L, (long) LogisticModel.FEATURES)));
        assertThat(onnx.signature().outputs()).containsExactly(new TensorSpec("output", "float32", List.of(-1L, 3L)));
        assertThat(tribuo.flavor()).isEqualTo(Flavor.TRIBUO);
        assertThat(tribuo.signature().inputs()).hasSize(LogisticModel.FEATURES)
                .first().isEqualTo(new TensorSpec("f00", "float64", List.of(-1L)));
        assertThat(tribuo.signature().outputs()).extracting(TensorSpec::name).containsExactly("label", "probabilities");
    }

    @Test
    void only_the_outputs_asked_for_come_back_in_the_order_asked() {
        List<Tensor> outputs = tribuo.predict(LogisticModel.tribuoInputs(rows), List.of("probabilities", "label"));

        assertThat(outputs).extracting(Tensor::name).containsExactly("probabilities", "label");
        assertThat(tribuo.predict(LogisticModel.tribuoInputs(rows), List.of("label")))
                .extracting(Tensor::name).containsExactly("label");
        invalid(() -> onnx.predict(List.of(LogisticModel.onnxInput(rows)), List.of("scores")), "'scores'");
        invalid(() -> tribuo.predict(LogisticModel.tribuoInputs(rows), List.of("scores")), "'scores'");
    }

    // validation: 400 naming the input and what was expected

    @Test
    void an_unknown_input_is_refused_naming_it() {
        invalid(() -> onnx.predict(List.of(LogisticModel.onnxInput(rows), Tensor.fp32("extra", new long[]{1}, 1f))),
                "input 'extra' is not an input", "input FP32 [-1, 15]");
    }

    @Test
    void a_missing_input_is_refused_naming_it() {
        invalid(() -> onnx.predict(List.of()), "input 'input' is missing");
        List<Tensor> columns = new java.util.ArrayList<>(LogisticModel.tribuoInputs(rows));
        columns.remove(3);
        invalid(() -> tribuo.predict(columns), "input 'f03' is missing");
    }

    @Test
    void an_input_given_twice_is_refused() {
        Tensor input = LogisticModel.onnxInput(rows);
        invalid(() -> onnx.predict(List.of(input, input)), "input 'input' is given twice");
    }

    @Test
    void a_wrong_datatype_is_refused_naming_the_input_and_the_expected_type() {
        invalid(() -> onnx.predict(List.of(Tensor.fp64("input", new long[]{1, 15}, new double[15]))),
                "input 'input' is FP64", "expects FP32");
        List<Tensor> columns = new java.util.ArrayList<>(LogisticModel.tribuoInputs(rows));
        columns.set(0, Tensor.fp32("f00", new long[]{rows.length}, new float[rows.length]));
        invalid(() -> tribuo.predict(columns), "input 'f00' is FP32", "expects FP64");
    }

    @Test
    void a_wrong_rank_or_fixed_dimension_is_refused_naming_the_input_and_the_expected_shape() {
        invalid(() -> onnx.predict(List.of(Tensor.fp32("input", new long[]{15}, new float[15]))),
                "input 'input' has shape [15]", "expects [-1, 15]");
        invalid(() -> onnx.predict(List.of(Tensor.fp32("input", new long[]{1, 14}, new float[14]))),
                "input 'input' has shape [1, 14]", "expects [-1, 15]");
        invalid(() -> onnx.predict(List.of(Tensor.fp32("input", new long[]{1, 1, 15}, new float[15]))),
                "input 'input' has shape [1, 1, 15]");
    }

    @Test
    void feature_columns_of_different_lengths_are_refused() {
        List<Tensor> columns = new java.util.ArrayList<>(LogisticModel.tribuoInputs(rows));
        columns.set(5, Tensor.fp64("f05", new long[]{2}, 1, 2));
        invalid(() -> tribuo.predict(columns), "input 'f05' has 2 rows");
    }

    @Test
    void nan_and_infinity_are_refused_by_default_naming_the_input() {
        float[] values = new float[30];
        values[17] = Float.NaN;
        invalid(() -> onnx.predict(List.of(Tensor.fp32("input", new long[]{2, 15}, values))),
                "input 'input' holds NaN at position 17", NonFiniteInputs.TAG);
        List<Tensor> columns = new java.util.ArrayList<>(LogisticModel.tribuoInputs(rows));
        double[] column = columns.get(2).doubles().clone();
        column[4] = Double.NEGATIVE_INFINITY;
        columns.set(2, Tensor.fp64("f02", new long[]{rows.length}, column));
        invalid(() -> tribuo.predict(columns), "input 'f02' holds -Infinity at position 4");
    }

    @Test
    void a_version_tagged_to_allow_nan_takes_it() {
        registry.register("imputing", trained.onnxDirectory(dir), new dev.keel.api.Tag(NonFiniteInputs.TAG, "input"));
        ModelLoader loader = registry.loader(dir.resolve("cache"));
        try (ModelRuntime runtime = loader.open(new ModelKey("imputing", 1))) {
            float[] values = new float[15];
            values[3] = Float.NaN;

            Tensor scores = runtime.predict(List.of(Tensor.fp32("input", new long[]{1, 15}, values))).get(0);

            assertThat(scores.shape()).containsExactly(1, 3);
        }
    }

    @Test
    void a_tensor_whose_values_do_not_fill_its_shape_is_refused_naming_it() {
        invalid(() -> Tensor.fp32("input", new long[]{2, 15}, new float[29]), "tensor 'input' has 29 values",
                "[2, 15] holds 30");
    }

    static void invalid(Runnable call, String... fragments) {
        try {
            call.run();
        } catch (KeelException e) {
            assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
            assertThat(e.getMessage()).contains(fragments);
            return;
        }
        throw new AssertionError("expected a 400 containing " + List.of(fragments));
    }
}
