package dev.keel.registry.flavor;

import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.ONNXExportable;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * A logistic regression over four named features (credit risk, "good" or "bad"), trained once
 * per test run, with its three ways of being saved: Tribuo's protobuf, ONNX and (the refused
 * one) Java serialization.
 */
final class TinyClassifier {
    static final String[] FEATURES = {"income", "age", "debt", "tenure"};
    static final Model<Label> MODEL = train();

    private TinyClassifier() {
    }

    private static Model<Label> train() {
        LabelFactory labels = new LabelFactory();
        MutableDataset<Label> data = new MutableDataset<>(new SimpleDataSourceProvenance("tiny credit", labels), labels);
        Random random = new Random(7);
        for (int row = 0; row < 40; row++) {
            double income = random.nextDouble();
            double age = random.nextDouble();
            double debt = random.nextDouble();
            double tenure = random.nextDouble();
            String label = income - debt + 0.2 * tenure > 0 ? "good" : "bad";
            data.add(new ArrayExample<>(new Label(label), FEATURES, new double[]{income, age, debt, tenure}));
        }
        return new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(0.5), 5, 1L).train(data);
    }

    static byte[] protobuf() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            MODEL.serializeToStream(bytes);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] onnx(Path directory) {
        try {
            Path file = directory.resolve("exported.onnx");
            ((ONNXExportable) MODEL).saveONNXModel("dev.keel.test", 1, file);
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] javaSerialized() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(MODEL);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
