package dev.keel.serving.runtime;

import java.time.Duration;

/**
 * A snapshot of {@link LoadedModels}: gauges ({@code loadedModels}, {@code usedBytes} — the
 * estimated footprint of the models taking requests and of those being loaded — and
 * {@code draining}, models unloaded but still finishing requests) and counters since it started.
 */
public record LoadedModelsStats(int loadedModels, long usedBytes, long budgetBytes, int draining, long loads,
                                long loadFailures, long evictions, long swaps, Duration totalLoadTime) {
}
