package dev.keel.api.registry.flavor;

import java.util.Locale;

/** How a model version's files are laid out and which runtime serves them. */
public enum Flavor {
    ONNX,
    TRIBUO;

    /** The name in manifests and on the wire, as MLflow spells flavors: the constant in lower case. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
