package dev.keel.serving.runtime;

import dev.keel.api.registry.flavor.Flavor;
import dev.keel.api.registry.flavor.Signature;
import dev.keel.api.registry.flavor.TensorSpec;
import dev.keel.core.KeelException;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What every runtime does before its model sees a request: the version it serves and its
 * flavor, the signature it answers to, the inputs checked against that signature ({@link InputContract}),
 * and the outputs asked for checked against it too. A runtime adds only how it runs the model.
 */
abstract sealed class CheckedRuntime implements ModelRuntime permits OnnxModelRuntime, TribuoModelRuntime {
    private final ModelKey key;
    private final Flavor flavor;
    private final Signature signature;
    private final InputContract contract;
    private final Set<String> outputs;

    /** @throws KeelException NOT_IMPLEMENTED naming the input when its type is one no client can send */
    CheckedRuntime(ModelKey key, Flavor flavor, Signature signature, NonFiniteInputs nonFinite) {
        this.key = key;
        this.flavor = flavor;
        this.signature = signature;
        this.contract = new InputContract(key, signature.inputs(), nonFinite);
        this.outputs = Set.copyOf(signature.outputs().stream().map(TensorSpec::name).toList());
    }

    @Override
    public final ModelKey key() {
        return key;
    }

    @Override
    public final Flavor flavor() {
        return flavor;
    }

    @Override
    public final Signature signature() {
        return signature;
    }

    @Override
    public final List<Tensor> check(List<Tensor> inputs) {
        return Arrays.asList(contract.check(inputs));
    }

    /** The request's tensors checked, in signature order: what the model runs on. */
    final Tensor[] checked(List<Tensor> inputs) {
        return contract.check(inputs);
    }

    final InputContract contract() {
        return contract;
    }

    /**
     * The outputs named in {@code outputs}, in the order asked and each once, or null when none
     * are named (every output is wanted); a name the signature lacks is a 400 listing its outputs.
     */
    final Set<String> wanted(List<String> outputs) {
        if (outputs == null || outputs.isEmpty()) {
            return null;
        }
        Set<String> wanted = new LinkedHashSet<>(outputs);
        for (String name : wanted) {
            if (!this.outputs.contains(name)) {
                throw KeelException.invalid("output '" + name + "' is not an output of " + key + "; its outputs are "
                        + this.outputs.stream().sorted().toList());
            }
        }
        return wanted;
    }
}
