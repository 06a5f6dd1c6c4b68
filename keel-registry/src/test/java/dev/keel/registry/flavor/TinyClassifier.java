package dev.keel.registry.flavor;

import dev.keel.api.registry.flavor.Signature;
import dev.keel.api.registry.flavor.TensorSpec;
import dev.keel.registry.TribuoModels;
import org.tribuo.Model;
import org.tribuo.classification.Label;

import java.util.List;
import java.util.Random;

/**
 * A logistic regression over four named features (credit risk, "good" or "bad"), trained once
 * per test run, with its three ways of being saved: Tribuo's protobuf, ONNX and (the refused
 * one) Java serialization.
 */
final class TinyClassifier {
    static final String[] FEATURES = {"income", "age", "debt", "tenure"};
    private static final Model<Label> MODEL = TribuoModels.train("tiny credit", FEATURES,
            TribuoModels.rows(7, 40, FEATURES.length, Random::nextDouble),
            row -> row[0] - row[2] + 0.2 * row[3] > 0 ? "good" : "bad", 0.5, 5, 1L);
    /** What Tribuo's ONNX export of it declares: one FP32 input of the four features, the two label scores out. */
    static final Signature ONNX_SIGNATURE = new Signature(
            List.of(new TensorSpec("input", "float32", List.of(-1L, 4L))),
            List.of(new TensorSpec("output", "float32", List.of(-1L, 2L))));

    private TinyClassifier() {
    }

    static byte[] protobuf() {
        return TribuoModels.protobuf(MODEL);
    }

    static byte[] onnx() {
        return TribuoModels.onnx(MODEL);
    }

    static byte[] javaSerialized() {
        return TribuoModels.javaSerialized(MODEL);
    }
}
