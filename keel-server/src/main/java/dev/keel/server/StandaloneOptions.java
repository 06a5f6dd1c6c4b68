package dev.keel.server;

import dev.keel.core.KeelException;
import dev.keel.serving.batching.BatchingOptions;
import dev.keel.serving.runtime.RuntimeOptions;

/**
 * How a standalone serving process ({@code keel serve}) uses the machine.
 *
 * @param memoryBudgetBytes the estimated memory the served model versions may take together (an
 *                          alias moving loads the new version next to the old one for a moment)
 * @param runtime           threads inside one model call
 * @param batching          micro-batching of concurrent requests (off by default); the served
 *                          version's tags override it ({@link BatchingOptions#fromTags})
 */
public record StandaloneOptions(long memoryBudgetBytes, RuntimeOptions runtime, BatchingOptions batching) {
    public StandaloneOptions {
        if (memoryBudgetBytes <= 0) {
            throw KeelException.invalid("'memory' must be positive (got " + memoryBudgetBytes + " bytes)");
        }
        if (runtime == null) {
            throw KeelException.invalid("'runtime' options are missing");
        }
        if (batching == null) {
            throw KeelException.invalid("'batching' options are missing");
        }
    }

    /** A quarter of the heap's limit (as the full server has), one intra-op thread, no batching. */
    public static StandaloneOptions defaults() {
        return new StandaloneOptions(ServingParts.defaultBudget(), RuntimeOptions.DEFAULT, BatchingOptions.OFF);
    }
}
