package dev.keel.serving.batching;

import dev.keel.api.registry.flavor.TensorSpec;
import dev.keel.serving.runtime.ModelKey;
import dev.keel.serving.runtime.ModelRuntime;
import dev.keel.serving.runtime.Tensor;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Micro-batching for every model a serving process runs, one {@link MicroBatcher} per model
 * version, each as the {@link BatchingPolicy} sets it for that version (off: every request runs
 * alone, as without this). The policy is asked once per version and its answer kept, with the
 * version's batcher, while the process runs.
 *
 * <p>A request is checked against the model's signature before it is queued, so a client's
 * mistake is a 400 for that request only. It is batched only when rows can be told apart: every
 * input of the signature has the batch ({@code -1}) as its first dimension and every tensor of
 * the request has the same, positive, first dimension, no larger than the batch size. Anything
 * else runs alone. Batching assumes what serving models nearly always are: row-independent —
 * a row's answer does not depend on the other rows of the call.
 */
public final class MicroBatching {
    private final BatchingPolicy policy;
    /** What the policy answered for each version served so far (batching on or off). */
    private final ConcurrentHashMap<ModelKey, BatchingOptions> chosen = new ConcurrentHashMap<>();
    /** A batcher for each version served so far with batching on. */
    private final ConcurrentHashMap<ModelKey, MicroBatcher> batchers = new ConcurrentHashMap<>();

    public MicroBatching(BatchingPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /**
     * The batching of {@code key}, asked of the policy the first time and kept: a bad setting (a
     * malformed tag) is a 400 for every request to that version, asked again each time.
     */
    public BatchingOptions options(ModelKey key) {
        BatchingOptions options = chosen.get(key);
        if (options == null) {
            // not computeIfAbsent: the policy may read a remote registry, too slow to hold a map's lock for
            BatchingOptions read = Objects.requireNonNull(policy.of(key), "batching options");
            options = Objects.requireNonNullElse(chosen.putIfAbsent(key, read), read);
        }
        return options;
    }

    /** What {@code runtime.predict(inputs, outputs)} answers, possibly computed in one call with other requests. */
    public List<Tensor> predict(ModelRuntime runtime, List<Tensor> inputs, List<String> outputs) {
        BatchingOptions options = options(runtime.key());
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
        BatchingStats total = BatchingStats.NONE;
        for (MicroBatcher batcher : batchers.values()) {
            total = total.plus(batcher.stats());
        }
        return total;
    }

    /** What micro-batching has done for {@code key} so far ({@link BatchingStats#NONE} while it is off for it). */
    public BatchingStats stats(ModelKey key) {
        MicroBatcher batcher = batchers.get(key);
        return batcher == null ? BatchingStats.NONE : batcher.stats();
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
