package dev.keel.serving.batching;

import dev.keel.core.Checks;
import dev.keel.core.KeelException;

import java.time.Duration;

/**
 * Adaptive micro-batching of one model's requests: concurrent requests are gathered until
 * {@code maxBatchSize} rows are waiting or the first of them has waited {@code maxDelay}, run
 * as one call, and each caller gets back its own rows. Off by default ({@link #OFF}): it trades
 * up to {@code maxDelay} of latency for throughput, which pays only when many small requests
 * reach one model at once and one call on N rows costs much less than N calls.
 *
 * @param maxBatchSize the most rows run in one call; 1 turns batching off
 * @param maxDelay     the longest the first request of a batch waits for others; zero runs at
 *                     once with whatever has gathered meanwhile
 */
public record BatchingOptions(int maxBatchSize, Duration maxDelay) {
    /** The largest batch accepted: beyond it the concatenated tensors stop being "small". */
    public static final int MAX_BATCH_SIZE = 4096;
    /** The longest delay accepted: more would be a queue, not a batch. */
    public static final Duration MAX_DELAY = Duration.ofSeconds(1);
    public static final BatchingOptions OFF = new BatchingOptions(1, Duration.ZERO);

    public BatchingOptions {
        if (maxBatchSize < 1 || maxBatchSize > MAX_BATCH_SIZE) {
            throw KeelException.invalid("'batch_size' must be between 1 and " + MAX_BATCH_SIZE + " (got "
                    + maxBatchSize + ")");
        }
        Checks.requireNonNull("batch_delay", maxDelay);
        if (maxDelay.isNegative() || maxDelay.compareTo(MAX_DELAY) > 0) {
            throw KeelException.invalid("'batch_delay' must be between 0 and " + MAX_DELAY.toMillis() + "ms (got "
                    + maxDelay.toMillis() + "ms)");
        }
    }

    /** Batching of up to {@code maxBatchSize} rows waiting at most {@code maxDelay}. */
    public static BatchingOptions of(int maxBatchSize, Duration maxDelay) {
        return new BatchingOptions(maxBatchSize, maxDelay);
    }

    public boolean enabled() {
        return maxBatchSize > 1;
    }
}
