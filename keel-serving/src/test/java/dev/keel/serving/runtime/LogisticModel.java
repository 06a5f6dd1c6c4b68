package dev.keel.serving.runtime;

import dev.keel.registry.TribuoModels;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * A real model for serving tests: a three-class logistic regression (Tribuo's LinearSGDModel)
 * over 15 named features, trained on generated data, saved in Tribuo's protobuf format and
 * exported to ONNX. Feature names sort in column order, so column i of the ONNX input is
 * feature {@code f0i}.
 */
public final class LogisticModel {
    public static final int FEATURES = 15;
    public static final String[] NAMES = names();

    public final Model<Label> model;
    private final byte[] onnx;
    private final byte[] tribuo;

    private LogisticModel(Model<Label> model) {
        this.model = model;
        this.onnx = TribuoModels.onnx(model);
        this.tribuo = TribuoModels.protobuf(model);
    }

    /** A model trained from {@code seed}: different seeds give models that answer differently. */
    public static LogisticModel train(long seed) {
        Random random = new Random(seed);
        double[] weights = new double[FEATURES];
        for (int i = 0; i < FEATURES; i++) {
            weights[i] = random.nextGaussian();
        }
        Function<double[], String> label = row -> {
            double score = 0;
            for (int i = 0; i < FEATURES; i++) {
                score += weights[i] * row[i];
            }
            return score < -1 ? "low" : score > 1 ? "high" : "mid";
        };
        return new LogisticModel(TribuoModels.train("serving test " + seed, NAMES, rows(400, seed + 1), label, 0.3, 10, seed));
    }

    /** {@code count} rows of standard-normal feature values. */
    public static double[][] rows(int count, long seed) {
        return TribuoModels.rows(seed, count, FEATURES, Random::nextGaussian);
    }

    public List<Prediction<Label>> tribuoPredictions(double[][] rows) {
        List<Prediction<Label>> predictions = new ArrayList<>();
        for (double[] row : rows) {
            predictions.add(model.predict(new ArrayExample<>(LabelFactory.UNKNOWN_LABEL, NAMES, row)));
        }
        return predictions;
    }

    /** The label ids' names, in the order of the ONNX output's columns. */
    public String[] labelsById() {
        String[] labels = new String[model.getOutputIDInfo().size()];
        for (int id = 0; id < labels.length; id++) {
            labels[id] = model.getOutputIDInfo().getOutput(id).getLabel();
        }
        return labels;
    }

    /** The rows as the ONNX model's one input, {@code input} FP32 [rows, 15]. */
    public static Tensor onnxInput(double[][] rows) {
        float[] values = new float[rows.length * FEATURES];
        for (int r = 0; r < rows.length; r++) {
            for (int i = 0; i < FEATURES; i++) {
                values[r * FEATURES + i] = (float) rows[r][i];
            }
        }
        return Tensor.fp32("input", new long[]{rows.length, FEATURES}, values);
    }

    /** The rows as the Tribuo runtime's inputs: one FP64 [rows] tensor per feature. */
    public static List<Tensor> tribuoInputs(double[][] rows) {
        List<Tensor> columns = new ArrayList<>();
        for (int i = 0; i < FEATURES; i++) {
            double[] column = new double[rows.length];
            for (int r = 0; r < rows.length; r++) {
                column[r] = rows[r][i];
            }
            columns.add(Tensor.fp64(NAMES[i], new long[]{rows.length}, column));
        }
        return columns;
    }

    /** A new directory under {@code parent} (created if need be) holding the model as {@code model.onnx}. */
    public Path onnxDirectory(Path parent) {
        return directory(parent, "model.onnx", onnx);
    }

    /** A new directory under {@code parent} (created if need be) holding the model as {@code model.tribuo}. */
    public Path tribuoDirectory(Path parent) {
        return directory(parent, "model.tribuo", tribuo);
    }

    public byte[] onnx() {
        return onnx.clone();
    }

    private static Path directory(Path parent, String file, byte[] bytes) {
        try {
            Files.createDirectories(parent);
            Path directory = Files.createTempDirectory(parent, "model-");
            Files.write(directory.resolve(file), bytes);
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String[] names() {
        String[] names = new String[FEATURES];
        for (int i = 0; i < FEATURES; i++) {
            names[i] = String.format("f%02d", i);
        }
        return names;
    }
}
