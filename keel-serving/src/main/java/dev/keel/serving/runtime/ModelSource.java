package dev.keel.serving.runtime;

import dev.keel.api.Tag;

import java.util.List;

/**
 * Where {@link LoadedModels} gets a model it does not hold: the registry ({@link ModelLoader}) or
 * local model directories ({@link ModelDirectories}).
 */
public sealed interface ModelSource permits ModelLoader, ModelDirectories {

    /** The model's estimated memory footprint, known before loading it (from its files' sizes; see {@link Footprint}). */
    long footprintBytes(ModelKey key);

    /** Loads and opens the model: the slow part (fetching, verifying, creating a session). */
    ModelRuntime open(ModelKey key);

    /**
     * The version's tags as the source has them now, for settings a version chooses for itself
     * (micro-batching); none for a local directory.
     */
    List<Tag> tags(ModelKey key);
}
