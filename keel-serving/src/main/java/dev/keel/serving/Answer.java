package dev.keel.serving;

import dev.keel.serving.runtime.ModelKey;
import dev.keel.serving.runtime.Tensor;

import java.util.List;

/**
 * What answered a request and what it said: the endpoint (null when a model version was called
 * directly), the variant the router chose (null likewise), the model version behind it, and the
 * outputs. The protocols put the variant and version in a response header.
 */
public record Answer(String endpoint, String variant, ModelKey model, List<Tensor> outputs) {
    public Answer {
        outputs = List.copyOf(outputs);
    }
}
