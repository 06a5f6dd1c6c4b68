package dev.keel.serving.runtime;

import dev.keel.core.KeelException;

/**
 * How much memory a loaded model is taken to use, estimated from its files before it is loaded
 * so the cache can make room first: {@code baseBytes + fileFactor × (bytes of the version's
 * files)}.
 *
 * <p>The defaults come from measuring here (ONNX Runtime 1.22, Tribuo 4.3, Java 17): a logistic
 * regression over 15 features exported to ONNX is a 11.6 KB file and its session adds about
 * 55 KB of native memory; the same model as a Tribuo protobuf file is 8 KB and 10.6 KB on the
 * heap, and over 2,000 features 291 KB on disk and 440 KB on the heap (1.5×). ONNX Runtime keeps
 * a model's weights once and may keep a pre-packed copy of them, so twice the file bytes plus
 * 64 KiB covers both kinds with room to spare. The estimate is a budget, not a measurement: the
 * JVM cannot see native memory per session, and a model's working memory depends on the batch.
 */
public record Footprint(long baseBytes, double fileFactor) {
    public static final Footprint DEFAULT = new Footprint(64 * 1024, 2.0);

    public Footprint {
        if (baseBytes < 0 || !(fileFactor >= 0) || Double.isInfinite(fileFactor)) {
            throw KeelException.invalid("a model footprint needs base bytes >= 0 and a finite file factor >= 0");
        }
    }

    public long estimate(long fileBytes) {
        return baseBytes + (long) Math.ceil(fileFactor * fileBytes);
    }
}
