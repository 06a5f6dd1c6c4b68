package dev.keel.cli.demo;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The demo's broken export loads, takes the applicant features, answers a batch of 8 and fails on any other. */
class FixedBatchExportTest {
    private static final OrtEnvironment ORT = OrtEnvironment.getEnvironment();

    @Test
    void it_loads_with_the_applicant_features_as_inputs() throws OrtException {
        try (OrtSession session = session()) {
            assertThat(session.getInputNames()).containsExactlyInAnyOrderElementsOf(Applicant.FEATURE_NAMES);
            assertThat(session.getOutputNames()).containsExactly("probabilities");
        }
    }

    @Test
    void it_answers_a_batch_of_exactly_eight_rows() throws OrtException {
        try (OrtSession session = session(); OrtSession.Result result = session.run(inputs(FixedBatchExport.BATCH))) {
            float[][] probabilities = (float[][]) result.get(0).getValue();
            assertThat(probabilities).hasNumberOfRows(FixedBatchExport.BATCH);
            assertThat(probabilities[0]).containsExactly(0.5f, 0.5f);
        }
    }

    @Test
    void it_fails_inside_the_runtime_on_a_single_row() throws OrtException {
        try (OrtSession session = session()) {
            assertThatThrownBy(() -> session.run(inputs(1)).close())
                    .isInstanceOf(OrtException.class)
                    .hasMessageContaining("Reshape");
        }
    }

    private static OrtSession session() throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            // the optimisations serving uses, which rewrite the graph before it runs
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
            return ORT.createSession(FixedBatchExport.graph(), options);
        }
    }

    private static Map<String, OnnxTensor> inputs(int rows) throws OrtException {
        Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
        for (String feature : Applicant.FEATURE_NAMES) {
            double[] column = new double[rows];
            java.util.Arrays.fill(column, 1.0);
            inputs.put(feature, OnnxTensor.createTensor(ORT, column));
        }
        return inputs;
    }
}
