package dev.keel.registry;

import org.tribuo.Model;
import org.tribuo.classification.Label;

import java.util.Random;

/**
 * A real model for registry tests: a logistic regression over three named features, trained
 * once per test run with Tribuo, saved in Tribuo's protobuf format and exported to ONNX.
 */
public final class TrainedModel {
    public static final String[] FEATURES = {"income", "debt", "tenure"};
    private static final Model<Label> MODEL = TribuoModels.train("registry test credit", FEATURES,
            TribuoModels.rows(3, 60, FEATURES.length, Random::nextDouble),
            row -> row[0] - row[1] + 0.3 * row[2] > 0.1 ? "repaid" : "default", 0.5, 5, 1L);
    private static final byte[] ONNX = TribuoModels.onnx(MODEL);
    private static final byte[] PROTOBUF = TribuoModels.protobuf(MODEL);

    private TrainedModel() {
    }

    /** The model as ONNX, as {@code ONNXExportable.saveONNXModel} writes it. */
    public static byte[] onnx() {
        return ONNX.clone();
    }

    /** The model in Tribuo's own protobuf format. */
    public static byte[] tribuo() {
        return PROTOBUF.clone();
    }
}
