package dev.keel.serving;

import dev.keel.api.registry.flavor.Signature;
import dev.keel.serving.runtime.Tensor;

import java.util.List;

/**
 * Turns a parsed request into the tensors one model takes. The protocols differ in how much the
 * request says: an Open Inference Protocol request names and types its tensors itself, while an
 * MLflow scoring request or a feature record only becomes tensors against the answering model's
 * signature — known after routing, and different again for a shadow.
 */
@FunctionalInterface
public interface InputBinder {

    List<Tensor> bind(Signature signature);

    /** Tensors that need no signature to be built. */
    static InputBinder of(List<Tensor> tensors) {
        List<Tensor> fixed = List.copyOf(tensors);
        return signature -> fixed;
    }
}
