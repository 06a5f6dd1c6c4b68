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
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The one way tests make a real model: a Tribuo logistic regression (LinearSGDTrainer with a
 * log loss and AdaGrad) trained on rows the test describes, and the bytes of each format a model
 * can arrive in. The model fixtures of the registry and serving tests are built on it.
 */
public final class TribuoModels {
    private TribuoModels() {
    }

    /**
     * A model of {@code features} trained on {@code rows} (one value per feature, in order), each
     * labelled by {@code label}; {@code learningRate}, {@code epochs} and {@code seed} go to the trainer.
     */
    public static Model<Label> train(String source, String[] features, double[][] rows, Function<double[], String> label,
                                     double learningRate, int epochs, long seed) {
        LabelFactory labels = new LabelFactory();
        MutableDataset<Label> data = new MutableDataset<>(new SimpleDataSourceProvenance(source, labels), labels);
        for (double[] row : rows) {
            data.add(new ArrayExample<>(new Label(label.apply(row)), features, row));
        }
        return new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(learningRate), epochs, seed).train(data);
    }

    /** {@code count} rows of {@code width} values, each drawn by {@code draw} from one {@code Random(seed)}, row by row. */
    public static double[][] rows(long seed, int count, int width, ToDoubleFunction<Random> draw) {
        Random random = new Random(seed);
        double[][] rows = new double[count][width];
        for (double[] row : rows) {
            for (int i = 0; i < width; i++) {
                row[i] = draw.applyAsDouble(random);
            }
        }
        return rows;
    }

    /** The model as ONNX, as {@code ONNXExportable.saveONNXModel} writes it. */
    public static byte[] onnx(Model<Label> model) {
        try {
            Path file = Files.createTempFile("keel-test-model", ".onnx");
            try {
                ((ONNXExportable) model).saveONNXModel("dev.keel.test", 1, file);
                return Files.readAllBytes(file);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The model in Tribuo's own protobuf format, byte for byte what {@code Model.serializeToFile} writes. */
    public static byte[] protobuf(Model<Label> model) {
        return model.serialize().toByteArray();
    }

    /** The model as Java serialization writes it: the format Keel refuses, because loading it runs code. */
    public static byte[] javaSerialized(Model<Label> model) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(model);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
