package dev.keel.cli.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The batching benchmark's perceptron, run by ONNX Runtime: batching it must not change its
 * answers, so 32 rows in one call answer what the same rows answer one call each.
 */
class MlpModelTest {

    @Test
    void thirtyTwoRowsInOneCallAnswerAsThirtyTwoCallsOfOneRow() throws OrtException {
        float[][] rows = BenchModel.rows(32);
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession session = environment.createSession(MlpModel.onnx(1), new OrtSession.SessionOptions())) {
            assertThat(session.getInputNames()).containsExactly("input");
            float[][] together = run(environment, session, rows);
            assertThat(together).hasDimensions(32, MlpModel.OUTPUTS);
            for (int r = 0; r < rows.length; r++) {
                float[] alone = run(environment, session, new float[][]{rows[r]})[0];
                for (int c = 0; c < MlpModel.OUTPUTS; c++) {
                    assertThat(together[r][c]).as("row %d, output %d", r, c).isFinite()
                            // one row and 32 run different kernels, which may add in another order
                            .isCloseTo(alone[c], within(1e-4f * Math.max(1f, Math.abs(alone[c]))));
                }
            }
            // a graph whose Relus died would answer every row alike and pass the above for nothing
            assertThat(together[0]).isNotEqualTo(together[1]);
        }
    }

    @Test
    void theSameSeedGivesTheSameGraphAndAnotherSeedAnother() {
        assertThat(MlpModel.onnx(1)).isEqualTo(MlpModel.onnx(1)).isNotEqualTo(MlpModel.onnx(2));
    }

    private static float[][] run(OrtEnvironment environment, OrtSession session, float[][] rows) throws OrtException {
        try (OnnxTensor input = OnnxTensor.createTensor(environment, rows);
             OrtSession.Result result = session.run(Map.of("input", input))) {
            return (float[][]) result.get("output").orElseThrow().getValue();
        }
    }
}
