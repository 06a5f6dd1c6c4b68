package dev.keel.api.registry.card;

import dev.keel.api.registry.ManifestFile;
import dev.keel.api.registry.ModelManifest;
import dev.keel.api.registry.flavor.Signature;

import java.util.List;
import java.util.Map;

/**
 * How the model is built. {@code architecture} and {@code hyperparameters} are the author's to
 * write (prefilled from the source run's params); the flavor, the file a runtime loads, the
 * signature and the files with their digests are the version's manifest, fixed at
 * registration, and always shown as the manifest has them.
 */
public record ModelParameters(String architecture, String flavor, String modelFile, Signature signature,
                              List<ManifestFile> files, Map<String, String> hyperparameters) {
    public static final ModelParameters NONE = new ModelParameters(null, null, null, null, List.of(), Map.of());

    public ModelParameters {
        files = ModelCard.copy(files);
        hyperparameters = ModelCard.sorted(hyperparameters);
    }

    /** These parameters with the manifest's facts in place of whatever was given for them. */
    ModelParameters withManifest(ModelManifest manifest) {
        return new ModelParameters(architecture, manifest.flavor().wireName(), manifest.modelFile(),
                manifest.signature(), manifest.files(), hyperparameters);
    }

    /** What a card stores: the author's part; the manifest's is read again from the manifest. */
    ModelParameters withoutManifest() {
        return new ModelParameters(architecture, null, null, null, List.of(), hyperparameters);
    }
}
