package dev.keel.cli.demo;

import dev.keel.core.ArtifactPath;
import org.tribuo.Model;
import org.tribuo.Tribuo;
import org.tribuo.classification.Label;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The files a trained demo model leaves in its run, in MLflow's model layout: the model in
 * Tribuo's protobuf format, an {@code MLmodel} manifest naming its flavor and input signature,
 * and the evaluation report.
 */
public final class ModelFiles {
    public static final ArtifactPath DIRECTORY = ArtifactPath.of("model");
    public static final ArtifactPath MODEL = DIRECTORY.resolve("model.tribuo");
    public static final ArtifactPath MANIFEST = DIRECTORY.resolve("MLmodel");
    public static final ArtifactPath REPORT = ArtifactPath.of("evaluation/report.txt");

    private ModelFiles() {
    }

    /** Path → bytes of every file, in the order they are logged. */
    public static Map<ArtifactPath, byte[]> of(Model<Label> model, Evaluation evaluation, String runId, Instant created) {
        Map<ArtifactPath, byte[]> files = new LinkedHashMap<>();
        files.put(MODEL, serialize(model));
        files.put(MANIFEST, manifest(model, runId, created).getBytes(StandardCharsets.UTF_8));
        files.put(REPORT, evaluation.report().getBytes(StandardCharsets.UTF_8));
        return files;
    }

    private static byte[] serialize(Model<Label> model) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            model.serializeToStream(bytes);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize the model: " + e.getMessage(), e);
        }
    }

    private static String manifest(Model<Label> model, String runId, Instant created) {
        String inputs = Applicant.FEATURE_NAMES.stream()
                .map(name -> "{\"name\": \"" + name + "\", \"type\": \"double\"}")
                .collect(Collectors.joining(", ", "[", "]"));
        String labels = model.getOutputIDInfo().getDomain().stream().map(Label::getLabel).sorted()
                .collect(Collectors.joining(", ", "[", "]"));
        return """
                artifact_path: model
                run_id: %s
                utc_time_created: '%s'
                flavors:
                  tribuo:
                    model_file: model.tribuo
                    format: protobuf
                    tribuo_version: %s
                    model_class: %s
                    output_type: %s
                    labels: %s
                    positive_label: %s
                signature:
                  inputs: '%s'
                  outputs: '[{"name": "label", "type": "string"}]'
                """.formatted(runId, created, Tribuo.VERSION, model.getClass().getName(), Label.class.getName(),
                labels, LogisticRegressionTraining.DEFAULT.getLabel(), inputs);
    }
}
