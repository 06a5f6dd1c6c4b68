package dev.keel.serving.runtime;

import dev.keel.api.registry.flavor.Flavor;
import dev.keel.api.registry.flavor.Signature;

import java.util.List;

/**
 * One loaded model version, ready to answer: the thing the protocols (Open Inference Protocol,
 * {@code /invocations}, Keel's own predict) call once they have parsed a request into tensors.
 *
 * <p>{@link #predict} is safe to call from many threads at once. Failures are
 * {@link dev.keel.core.KeelException}s: INVALID_PARAMETER_VALUE (400) naming the input when the
 * request does not fit the {@link #signature()}, INTERNAL_ERROR (500) when the model itself fails
 * on a valid request — for that request only; the runtime keeps serving. Closing frees the
 * model's memory (native memory, for ONNX Runtime); a caller must not close a runtime other
 * requests may still use — {@link LoadedModels} hands out leases so that never happens.
 */
public sealed interface ModelRuntime extends AutoCloseable permits CheckedRuntime {

    /** Which model version this is. */
    ModelKey key();

    Flavor flavor();

    /** The inputs this runtime checks requests against and the outputs it gives, in order. */
    Signature signature();

    /**
     * {@code inputs} checked against the signature and put in its order, without running the
     * model: a 400 naming the input at fault. What a micro-batch checks each request with before
     * queuing it, so one caller's mistake never reaches — or fails — another caller's batch.
     */
    List<Tensor> check(List<Tensor> inputs);

    /** Every output of the model for {@code inputs}, in signature order. */
    default List<Tensor> predict(List<Tensor> inputs) {
        return predict(inputs, List.of());
    }

    /**
     * The outputs named in {@code outputs} (every output when empty), in the order asked for;
     * an unknown output name is a 400 naming it.
     */
    List<Tensor> predict(List<Tensor> inputs, List<String> outputs);

    /** Frees the model. Calls already running finish first; later calls fail. Closing twice does nothing. */
    @Override
    void close();
}
