package dev.keel.serving.batching;

import dev.keel.registry.flavor.TensorSpec;
import dev.keel.serving.runtime.ModelKey;
import dev.keel.serving.runtime.ModelRuntime;
import dev.keel.serving.runtime.Tensor;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Micro-batching for every model a serving process runs, one {@link MicroBatcher} per model
 * version, as {@link BatchingOptions} set it (off: every request runs alone, as without this).
 *
 * <p>A request is checked against the model's signature before it is queued, so a client's
 * mistake is a 400 for that request only. It is batched only when rows can be told apart: every
 * input of the signature has the batch ({@code -1}) as its first dimension and every tensor of
 * the request has the same, positive, first dimension, no larger than the batch size. Anything
 * else runs alone. Batching assumes what serving models nearly always are: row-independent —
 * a row's answer does not depend on the other rows of the call.
 */
public final class MicroBatching {
    private final BatchingOptions options;
    private final ConcurrentHashMap<ModelKey, MicroBatcher> batchers = new ConcurrentHashMap<>();

    public MicroBatching(BatchingOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    public BatchingOptions options() {
        return options;
    }

    /** What {@code runtime.predict(inputs, outputs)} answers, possibly computed in one call with other requests. */
    public List<Tensor> predict(ModelRuntime runtime, List<Tensor> inputs, List<String> outputs) {
        if (!options.enabled() || !batchable(runtime)) {
            return runtime.predict(inputs, outputs);
        }
        List<Tensor> checked = runtime.check(inputs);
        long rows = TensorRows.rows(checked);
        if (rows < 1 || rows >= options.maxBatchSize()) {
            return runtime.predict(checked, outputs);
        }
        return batchers.computeIfAbsent(runtime.key(), key -> new MicroBatcher(options))
                .predict(runtime, checked, rows, List.copyOf(outputs));
    }

    /** Totals over every model so far. */
    public BatchingStats stats() {
        long batches = 0;
        long requests = 0;
        long retried = 0;
        for (MicroBatcher batcher : batchers.values()) {
            batches += batcher.batches.get();
            requests += batcher.batchedRequests.get();
            retried += batcher.retriedAlone.get();
        }
        return new BatchingStats(batches, requests, retried);
    }

    /** Whether every input of the model takes any number of rows. */
    private static boolean batchable(ModelRuntime runtime) {
        List<TensorSpec> inputs = runtime.signature().inputs();
        if (inputs.isEmpty()) {
            return false;
        }
        for (TensorSpec spec : inputs) {
            if (spec.shape().isEmpty() || spec.shape().get(0) >= 0) {
                return false;
            }
        }
        return true;
    }
}
