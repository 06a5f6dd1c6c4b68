package dev.keel.api.registry.flavor;

import java.util.List;

/** What a model takes and what it gives back, in order. */
public record Signature(List<TensorSpec> inputs, List<TensorSpec> outputs) {
    public Signature {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }
}
