package dev.keel.cli.bench;

import org.tribuo.MutableDataset;
import org.tribuo.ONNXExportable;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * The model the serving benchmarks serve: a three-class logistic regression over 15 features
 * (issue 5 asks for 10–20), trained by Tribuo on generated data and exported to ONNX, whose
 * graph takes {@code input} FP32 {@code [rows, 15]}. Different seeds give different models of
 * the same size, so two variants of an endpoint cost the same to run.
 */
final class BenchModel {
    static final int FEATURES = 15;
    /** Held so the setting stays: Tribuo logs every epoch of every training at INFO, which would bury the figures. */
    private static final java.util.logging.Logger TRIBUO = java.util.logging.Logger.getLogger("org.tribuo");

    static {
        TRIBUO.setLevel(java.util.logging.Level.WARNING);
    }

    private BenchModel() {
    }

    static byte[] trainOnnx(long seed) throws IOException {
        LabelFactory labels = new LabelFactory();
        String[] names = new String[FEATURES];
        for (int i = 0; i < FEATURES; i++) {
            names[i] = String.format(Locale.ROOT, "f%02d", i);
        }
        MutableDataset<Label> data = new MutableDataset<>(new SimpleDataSourceProvenance("bench " + seed, labels), labels);
        Random random = new Random(seed);
        double[] weights = new double[FEATURES];
        for (int i = 0; i < FEATURES; i++) {
            weights[i] = random.nextGaussian();
        }
        for (int r = 0; r < 400; r++) {
            double[] row = new double[FEATURES];
            double score = 0;
            for (int i = 0; i < FEATURES; i++) {
                row[i] = random.nextGaussian();
                score += weights[i] * row[i];
            }
            data.add(new ArrayExample<>(new Label(score < -1 ? "low" : score > 1 ? "high" : "mid"), names, row));
        }
        var model = new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(0.3), 10, seed).train(data);
        Path file = Files.createTempFile("keel-bench-", ".onnx");
        try {
            ((ONNXExportable) model).saveONNXModel("dev.keel.bench", 1, file);
            return Files.readAllBytes(file);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Registers {@code onnx} as the next version of {@code name}; the registry keeps its own copy of the file. */
    static void register(dev.keel.api.registry.RegistryService registry, dev.keel.core.Actor actor, String name, byte[] onnx)
            throws IOException {
        Path directory = Files.createTempDirectory("keel-bench-model-");
        Path file = Files.write(directory.resolve("model.onnx"), onnx);
        try {
            registry.createModelVersionFromDirectory(actor, name, directory, null, java.util.List.of());
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(directory);
        }
    }

    /** {@code rows} rows of feature values, row after row (fixed, so every round sends the same bytes). */
    static float[][] rows(int rows) {
        Random random = new Random(7);
        float[][] values = new float[rows][FEATURES];
        for (float[] row : values) {
            for (int i = 0; i < FEATURES; i++) {
                row[i] = (float) Math.round(random.nextGaussian() * 1000) / 1000;
            }
        }
        return values;
    }

    /** An OIP V2 infer body: one FP32 input {@code [rows, 15]} with its data flat, as OIP allows. */
    static String oipBody(int rows) {
        StringBuilder body = new StringBuilder("{\"inputs\":[{\"name\":\"input\",\"shape\":[").append(rows)
                .append(',').append(FEATURES).append("],\"datatype\":\"FP32\",\"data\":[");
        String separator = "";
        for (float[] row : rows(rows)) {
            for (float value : row) {
                body.append(separator).append(value);
                separator = ",";
            }
        }
        return body.append("]}]}").toString();
    }

    /** An MLflow scoring body in {@code dataframe_split} form, what MLflow's own clients send. */
    static String mlflowBody(int rows) {
        StringBuilder body = new StringBuilder("{\"dataframe_split\":{\"columns\":[");
        for (int i = 0; i < FEATURES; i++) {
            body.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "\"f%02d\"", i));
        }
        body.append("],\"data\":[");
        String rowSeparator = "";
        for (float[] row : rows(rows)) {
            body.append(rowSeparator).append('[');
            for (int i = 0; i < FEATURES; i++) {
                body.append(i == 0 ? "" : ",").append(row[i]);
            }
            body.append(']');
            rowSeparator = ",";
        }
        return body.append("]}}").toString();
    }
}
