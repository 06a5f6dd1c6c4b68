package dev.keel.api.registry.flavor;

/** How a model version's files are laid out and which runtime serves them. */
public enum Flavor {
    ONNX("onnx"),
    TRIBUO("tribuo");

    private final String wireName;

    Flavor(String wireName) {
        this.wireName = wireName;
    }

    /** The name in manifests and on the wire, as MLflow spells flavors. */
    public String wireName() {
        return wireName;
    }
}
