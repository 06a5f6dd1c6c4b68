package dev.keel.registry;

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
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * A real model for registry tests: a logistic regression over three named features, trained
 * once per test run with Tribuo, saved in Tribuo's protobuf format and exported to ONNX.
 */
public final class TrainedModel {
    public static final String[] FEATURES = {"income", "debt", "tenure"};
    private static final Model<Label> MODEL = train();
    private static final byte[] ONNX = exportOnnx();
    private static final byte[] PROTOBUF = protobuf();

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

    private static Model<Label> train() {
        LabelFactory labels = new LabelFactory();
        MutableDataset<Label> data = new MutableDataset<>(new SimpleDataSourceProvenance("registry test credit", labels), labels);
        Random random = new Random(3);
        for (int row = 0; row < 60; row++) {
            double income = random.nextDouble();
            double debt = random.nextDouble();
            double tenure = random.nextDouble();
            String label = income - debt + 0.3 * tenure > 0.1 ? "repaid" : "default";
            data.add(new ArrayExample<>(new Label(label), FEATURES, new double[]{income, debt, tenure}));
        }
        return new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(0.5), 5, 1L).train(data);
    }

    private static byte[] exportOnnx() {
        try {
            Path file = Files.createTempFile("keel-registry-test", ".onnx");
            try {
                ((ONNXExportable) MODEL).saveONNXModel("dev.keel.test", 1, file);
                return Files.readAllBytes(file);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] protobuf() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            MODEL.serializeToStream(bytes);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
