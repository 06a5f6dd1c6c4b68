package dev.keel.registry.flavor;

import dev.keel.api.registry.flavor.Signature;
import dev.keel.api.registry.flavor.TensorSpec;
import dev.keel.core.KeelException;
import com.google.protobuf.InvalidProtocolBufferException;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.classification.ImmutableLabelInfo;
import org.tribuo.protos.core.ModelProto;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The signature of a Tribuo model in Tribuo's protobuf format (4.3 and later).
 *
 * <p>Inputs: one {@code float64} tensor of shape {@code [-1]} per feature name, in the order of
 * the model's feature ids. Tribuo models take named, sparse features, so the names are the
 * contract; a single {@code features [-1, n]} tensor would hide them (and the model card and the
 * Open Inference Protocol both want them). Outputs, by the kind of model:
 * <ul>
 * <li>classification: {@code label} string {@code [-1]}, and {@code probabilities} float64
 *     {@code [-1, k]} (k labels in output-id order) when the model generates probabilities —
 *     float64 because Tribuo scores are doubles;</li>
 * <li>regression: {@code prediction} float64 {@code [-1, d]} over its d dimensions;</li>
 * <li>multi-label: {@code labels} string {@code [-1, -1]}; clustering: {@code cluster} int64
 *     {@code [-1]}; anomaly detection: {@code event} string {@code [-1]} and {@code score} float64
 *     {@code [-1]}.</li>
 * </ul>
 * The kinds other than classification are told apart by their output domain's class name, so
 * this module needs no compile dependency on every Tribuo prediction task.
 *
 * <p>Java-serialized models are refused before a byte is deserialized: reading them runs code
 * chosen by whoever wrote the file.
 */
public final class TribuoModelSignature {
    /** The first two bytes of every Java serialization stream. */
    private static final int JAVA_SERIALIZATION_MAGIC = 0xACED;

    private TribuoModelSignature() {
    }

    static Signature read(InputStream raw, String file) throws IOException {
        return signature(readModel(raw, file));
    }

    /**
     * The Tribuo model in {@code raw}, read with the checks above (no Java serialization, a named
     * model class that is installed): what the registry inspects is exactly what serving runs.
     */
    public static Model<?> readModel(InputStream raw, String file) throws IOException {
        BufferedInputStream stream = new BufferedInputStream(raw);
        stream.mark(2);
        int magic = (stream.read() << 8) | stream.read();
        stream.reset();
        if (magic == JAVA_SERIALIZATION_MAGIC) {
            throw javaSerializationRefused(file);
        }
        ModelProto proto;
        try {
            proto = ModelProto.parseFrom(stream);
        } catch (InvalidProtocolBufferException e) {
            throw KeelException.invalid("model file '" + file + "' is not a Tribuo model in protobuf format: "
                    + e.getMessage());
        }
        return load(proto, file);
    }

    static KeelException javaSerializationRefused(String file) {
        return KeelException.invalid("model file '" + file + "' is Java-serialized; Keel refuses Java serialization "
                + "because deserializing it runs code chosen by the file's author (OWASP ML06, ML supply chain "
                + "attacks). Save the model with Tribuo's protobuf format (Model.serializeToFile) as *.tribuo, "
                + "or export it to ONNX");
    }

    /**
     * Checks the class the file names before Tribuo does: Tribuo initializes whatever class the
     * file names before checking it is a model, and a missing class deserves a clear refusal.
     */
    private static Model<?> load(ModelProto proto, String file) {
        String className = proto.getClassName();
        if (className.isBlank() || !proto.hasSerializedData()) {
            throw KeelException.invalid("model file '" + file + "' is not a Tribuo model in protobuf format: "
                    + "it names no model class or holds no model");
        }
        try {
            Class<?> type = Class.forName(className, false, TribuoModelSignature.class.getClassLoader());
            if (!Model.class.isAssignableFrom(type)) {
                throw KeelException.invalid("model file '" + file + "' names class '" + className
                        + "', which is not a Tribuo model");
            }
        } catch (ClassNotFoundException | LinkageError e) {
            throw KeelException.invalid("model file '" + file + "' holds a Tribuo model of class '" + className
                    + "', which this Keel cannot load (its Tribuo module is not installed)");
        }
        try {
            return Model.deserialize(proto);
        } catch (RuntimeException e) {
            throw KeelException.invalid("model file '" + file + "' holds a Tribuo model of class '" + className
                    + "' that could not be read: " + e.getMessage());
        }
    }

    public static Signature signature(Model<?> model) {
        ImmutableFeatureMap features = model.getFeatureIDMap();
        List<TensorSpec> inputs = new ArrayList<>(features.size());
        for (int id = 0; id < features.size(); id++) {
            inputs.add(new TensorSpec(features.get(id).getName(), "float64", List.of(-1L)));
        }
        return new Signature(inputs, outputs(model.getOutputIDInfo(), model.generatesProbabilities()));
    }

    private static List<TensorSpec> outputs(ImmutableOutputInfo<?> domain, boolean probabilities) {
        long size = domain.size();
        if (domain instanceof ImmutableLabelInfo) {
            TensorSpec label = new TensorSpec("label", "string", List.of(-1L));
            return probabilities
                    ? List.of(label, new TensorSpec("probabilities", "float64", List.of(-1L, size)))
                    : List.of(label);
        }
        return switch (domain.getClass().getName()) {
            case "org.tribuo.regression.ImmutableRegressionInfo" ->
                    List.of(new TensorSpec("prediction", "float64", List.of(-1L, size)));
            case "org.tribuo.multilabel.ImmutableMultiLabelInfo" ->
                    List.of(new TensorSpec("labels", "string", List.of(-1L, -1L)));
            case "org.tribuo.clustering.ImmutableClusteringInfo" ->
                    List.of(new TensorSpec("cluster", "int64", List.of(-1L)));
            case "org.tribuo.anomaly.ImmutableAnomalyInfo" -> List.of(
                    new TensorSpec("event", "string", List.of(-1L)), new TensorSpec("score", "float64", List.of(-1L)));
            default -> List.of(new TensorSpec("prediction", "string", List.of(-1L)));
        };
    }
}
