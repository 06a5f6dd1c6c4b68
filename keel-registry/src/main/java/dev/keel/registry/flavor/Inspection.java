package dev.keel.registry.flavor;

import dev.keel.api.registry.flavor.Flavor;
import dev.keel.api.registry.flavor.Signature;
import java.util.Objects;

/** What the files of a model version are: the flavor, the file a runtime loads, and its signature. */
public record Inspection(Flavor flavor, String modelFile, Signature signature) {
    public Inspection {
        Objects.requireNonNull(flavor, "flavor");
        Objects.requireNonNull(modelFile, "modelFile");
        Objects.requireNonNull(signature, "signature");
    }
}
