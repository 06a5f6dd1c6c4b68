package dev.keel.server.inference;

import dev.keel.serving.runtime.Tensor;

import java.util.List;

/**
 * An Open Inference Protocol infer request as parsed: the client's {@code id} (null when it sent
 * none; echoed in the answer), the input tensors, and the names of the outputs it wants (empty:
 * all of them). Request-level {@code parameters} are accepted and not interpreted.
 */
public record InferRequest(String id, List<Tensor> inputs, List<String> outputs) {
    public InferRequest {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }
}
