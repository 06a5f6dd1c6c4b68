package dev.keel.registry.flavor;

import dev.keel.api.registry.flavor.Flavor;
import dev.keel.api.registry.flavor.Signature;
import dev.keel.api.registry.flavor.TensorSpec;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import com.google.protobuf.InvalidProtocolBufferException;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Tells what a model version's files are — flavor, the file a runtime loads, the signature —
 * without running the model.
 *
 * <p>In order: an {@code MLmodel} at the root decides (its {@code onnx} flavor, else Keel's
 * {@code tribuo} flavor; its signature, when it has one, wins over what the model file says);
 * otherwise the one {@code *.onnx} or {@code *.tribuo} file among them. Java-serialized models
 * ({@code *.ser}, or any model file that starts like a Java serialization stream) are refused:
 * loading one runs code its author chose. Anything unreadable is a 400 naming the file.
 */
public final class ModelInspector {
    private ModelInspector() {
    }

    public static Inspection inspect(ModelFiles files) {
        List<String> paths = files.paths();
        if (paths.isEmpty()) {
            throw KeelException.invalid("model files: none given; expected an MLmodel, one *.onnx or one *.tribuo file");
        }
        if (paths.contains(MlflowModel.FILE)) {
            return inspectMlflow(files, read(files, MlflowModel.FILE, MlflowModel::read));
        }
        List<String> candidates = paths.stream().filter(ModelInspector::isModelFile).sorted().toList();
        if (candidates.isEmpty()) {
            throw KeelException.invalid("model files: no model among " + sample(paths)
                    + "; expected an MLmodel, one *.onnx or one *.tribuo file");
        }
        if (candidates.size() > 1) {
            throw KeelException.invalid("model files: several model files " + candidates
                    + "; expected exactly one *.onnx or *.tribuo file, or an MLmodel naming one");
        }
        String file = candidates.get(0);
        if (extension(file).equals("ser")) {
            throw TribuoModelSignature.javaSerializationRefused(file);
        }
        return extension(file).equals("onnx")
                ? new Inspection(Flavor.ONNX, file, read(files, file, in -> OnnxGraphSignature.read(in, file)))
                : new Inspection(Flavor.TRIBUO, file, read(files, file, in -> TribuoModelSignature.read(in, file)));
    }

    /** ONNX first when an MLmodel has both: it is the interchange format every runtime here serves. */
    private static Inspection inspectMlflow(ModelFiles files, MlflowModel mlmodel) {
        Flavor flavor;
        String file;
        if (mlmodel.onnxModel().isPresent()) {
            flavor = Flavor.ONNX;
            file = mlmodel.onnxModel().get();
        } else if (mlmodel.tribuoModel().isPresent()) {
            flavor = Flavor.TRIBUO;
            file = mlmodel.tribuoModel().get();
        } else {
            throw KeelException.invalid("model file 'MLmodel' has flavors " + mlmodel.flavors()
                    + "; Keel serves the 'onnx' and 'tribuo' flavors (log the model with mlflow.onnx, "
                    + "or convert it to ONNX first)");
        }
        if (!files.paths().contains(file)) {
            throw KeelException.invalid("model file 'MLmodel' names " + flavor.wireName() + " model file '" + file
                    + "', which is not among the model files");
        }
        if (extension(file).equals("ser")) {
            throw TribuoModelSignature.javaSerializationRefused(file);
        }
        Signature fromModel = flavor == Flavor.ONNX
                ? read(files, file, in -> OnnxGraphSignature.read(in, file))
                : read(files, file, in -> TribuoModelSignature.read(in, file));
        Signature signature = new Signature(
                given(mlmodel.inputs(), fromModel.inputs(), "input"),
                given(mlmodel.outputs(), fromModel.outputs(), "output"));
        return new Inspection(flavor, file, signature);
    }

    /**
     * The MLmodel's side of the signature when it has one; an unnamed spec (MLflow allows an
     * unnamed tensor) takes the model's name at the same position.
     */
    private static List<TensorSpec> given(Optional<List<TensorSpec>> stated, List<TensorSpec> fromModel, String side) {
        if (stated.isEmpty()) {
            return fromModel;
        }
        List<TensorSpec> specs = new ArrayList<>();
        for (TensorSpec spec : stated.get()) {
            int index = specs.size();
            String name = !spec.name().isEmpty() ? spec.name()
                    : index < fromModel.size() ? fromModel.get(index).name() : side + "_" + index;
            specs.add(new TensorSpec(name, spec.type(), spec.shape()));
        }
        return specs;
    }

    private static boolean isModelFile(String path) {
        return switch (extension(path)) {
            case "onnx", "tribuo", "ser" -> true;
            default -> false;
        };
    }

    private static String extension(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static String sample(List<String> paths) {
        return paths.size() <= 10 ? paths.toString() : paths.subList(0, 10) + " and " + (paths.size() - 10) + " more";
    }

    private interface Reader<T> {
        T read(InputStream in) throws IOException;
    }

    /**
     * Bytes that do not parse are the caller's problem (400); a store that cannot hand over a
     * file it listed is ours (500).
     */
    private static <T> T read(ModelFiles files, String path, Reader<T> reader) {
        try (InputStream in = files.open(path)) {
            return reader.read(in);
        } catch (InvalidProtocolBufferException e) {
            throw KeelException.invalid("model file '" + path + "' could not be read as "
                    + (extension(path).equals("onnx") ? "an ONNX model" : "a protobuf model") + ": " + e.getMessage());
        } catch (IOException e) {
            throw new KeelException(ErrorCode.INTERNAL_ERROR, "model file '" + path + "' could not be read: "
                    + e.getMessage(), e);
        }
    }
}
