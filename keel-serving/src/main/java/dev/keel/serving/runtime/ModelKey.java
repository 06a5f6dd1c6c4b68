package dev.keel.serving.runtime;

import dev.keel.api.registry.ModelName;
import dev.keel.core.KeelException;

/**
 * One model version as the serving cache knows it: a registered model's name and a version
 * number, aliases and stages already resolved (see {@link ModelLoader#resolve}). A local model
 * directory is served under a name of its own and version 1.
 */
public record ModelKey(String name, long version) {
    public ModelKey {
        ModelName.requireValid("model", name);
        if (version < 1) {
            throw KeelException.invalid("'model' version must be a positive integer (got " + version + ")");
        }
    }

    @Override
    public String toString() {
        return "version " + version + " of model '" + name + "'";
    }
}
