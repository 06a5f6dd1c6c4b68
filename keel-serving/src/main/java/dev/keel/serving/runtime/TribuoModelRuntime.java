package dev.keel.serving.runtime;

import dev.keel.api.registry.flavor.Flavor;
import dev.keel.api.registry.flavor.TensorSpec;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import dev.keel.registry.flavor.TribuoModelSignature;
import dev.keel.serving.runtime.TensorData.BytesData;
import dev.keel.serving.runtime.TensorData.DoubleData;
import org.tribuo.Example;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.classification.ImmutableLabelInfo;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Tribuo classification model served natively, read from its protobuf file by the registry's
 * own reader ({@link TribuoModelSignature#readModel}): Java-serialized files are refused before a
 * byte is deserialized, exactly as at registration.
 *
 * <p>The signature is the registry's for Tribuo models: one FP64 {@code [-1]} input per feature
 * name — a column per feature, a row per example — and outputs {@code label} (BYTES {@code [rows]})
 * and, when the model gives probabilities, {@code probabilities} (FP64 {@code [rows, classes]},
 * columns in the model's label-id order). Every feature must be given: a Tribuo model would treat
 * a missing one as zero, and a client that forgot a column deserves a 400, not a quiet answer.
 * Other Tribuo tasks (regression, clustering, …) are served through their ONNX export.
 */
public final class TribuoModelRuntime extends CheckedRuntime {
    private final Model<Label> model;
    private final String[] features;
    private final String[] labelsById;

    private TribuoModelRuntime(ModelKey key, Model<Label> model, NonFiniteInputs nonFinite) {
        super(key, Flavor.TRIBUO, TribuoModelSignature.signature(model), nonFinite);
        this.model = model;
        this.features = signature().inputs().stream().map(TensorSpec::name).toArray(String[]::new);
        ImmutableOutputInfo<Label> domain = model.getOutputIDInfo();
        this.labelsById = new String[domain.size()];
        for (int id = 0; id < labelsById.length; id++) {
            labelsById[id] = domain.getOutput(id).getLabel();
        }
    }

    /** Reads {@code modelFile}; a 400 naming it when it is not a Tribuo protobuf model, a 501 for other tasks. */
    @SuppressWarnings("unchecked")
    public static TribuoModelRuntime open(ModelKey key, Path modelFile, NonFiniteInputs nonFinite) {
        String file = modelFile.getFileName().toString();
        Model<?> model;
        try (InputStream in = Files.newInputStream(modelFile)) {
            model = TribuoModelSignature.readModel(in, file);
        } catch (IOException e) {
            throw new KeelException(ErrorCode.INTERNAL_ERROR, key + " cannot be served: model file '" + file
                    + "' could not be read: " + e.getMessage(), e);
        }
        if (!(model.getOutputIDInfo() instanceof ImmutableLabelInfo)) {
            throw new KeelException(ErrorCode.NOT_IMPLEMENTED, key + " cannot be served natively: model file '"
                    + file + "' holds a Tribuo " + model.getOutputIDInfo().getClass().getSimpleName()
                    + " model; Keel serves Tribuo classification models natively and other tasks through their "
                    + "ONNX export");
        }
        return new TribuoModelRuntime(key, (Model<Label>) model, nonFinite);
    }

    @Override
    public List<Tensor> predict(List<Tensor> inputs, List<String> outputs) {
        Tensor[] columns = checked(inputs);
        Set<String> named = wanted(outputs);
        Collection<String> wanted = named != null ? named : signature().outputs().stream().map(TensorSpec::name).toList();
        int rows = rows(columns);
        List<Example<Label>> examples = new ArrayList<>(rows);
        for (int row = 0; row < rows; row++) {
            double[] values = new double[columns.length];
            for (int feature = 0; feature < columns.length; feature++) {
                values[feature] = columns[feature].doubles()[row];
            }
            examples.add(new ArrayExample<>(LabelFactory.UNKNOWN_LABEL, features, values));
        }
        List<Prediction<Label>> predictions;
        try {
            predictions = model.predict(examples);
        } catch (RuntimeException e) {
            throw InferenceFailure.of(key(), e);
        }
        List<Tensor> answer = new ArrayList<>(wanted.size());
        for (String output : wanted) {
            answer.add(output.equals("label") ? labels(predictions) : scores(predictions));
        }
        return answer;
    }

    /** Every feature column has one value per row: the first column's length decides, the others must agree. */
    private int rows(Tensor[] columns) {
        if (columns.length == 0) {
            return 0;
        }
        long rows = columns[0].shape()[0];
        for (Tensor column : columns) {
            if (column.shape()[0] != rows) {
                throw KeelException.invalid("input '" + column.name() + "' has " + column.shape()[0] + " rows and input '"
                        + columns[0].name() + "' has " + rows + "; " + key() + " needs one value per feature for each row");
            }
        }
        return Math.toIntExact(rows);
    }

    private static Tensor labels(List<Prediction<Label>> predictions) {
        String[] labels = new String[predictions.size()];
        for (int row = 0; row < labels.length; row++) {
            labels[row] = predictions.get(row).getOutput().getLabel();
        }
        return new Tensor("label", Datatype.BYTES, new long[]{labels.length}, new BytesData(labels));
    }

    private Tensor scores(List<Prediction<Label>> predictions) {
        int classes = labelsById.length;
        double[] scores = new double[predictions.size() * classes];
        for (int row = 0; row < predictions.size(); row++) {
            Map<String, Label> byLabel = predictions.get(row).getOutputScores();
            for (int id = 0; id < classes; id++) {
                Label label = byLabel.get(labelsById[id]);
                scores[row * classes + id] = label == null ? 0.0 : label.getScore();
            }
        }
        return new Tensor("probabilities", Datatype.FP64, new long[]{predictions.size(), classes},
                new DoubleData(scores));
    }

    /** Nothing native to free: the model is ordinary heap memory. */
    @Override
    public void close() {
    }
}
