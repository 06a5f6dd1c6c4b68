package dev.keel.api.registry.flavor;

import java.util.List;
import java.util.Objects;

/**
 * One named input or output of a model: its element type ("float32", "int64", "string", …) and
 * its shape, with -1 for a dimension that is only known at run time (the batch, usually).
 */
public record TensorSpec(String name, String type, List<Long> shape) {
    public TensorSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        shape = List.copyOf(shape);
    }
}
