package dev.keel.serving.endpoint;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A seeded random source that many threads draw from without a lock: one atomic add per draw,
 * no allocation. Given the seed and the order of draws, the sequence is fixed, so a test can
 * repeat a traffic split exactly.
 */
final class SplitMix64 {
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private final AtomicLong state;

    SplitMix64(long seed) {
        this.state = new AtomicLong(seed);
    }

    long next() {
        return KeyHash.mix(state.addAndGet(GOLDEN_GAMMA));
    }
}
