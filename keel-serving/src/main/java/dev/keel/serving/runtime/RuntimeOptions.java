package dev.keel.serving.runtime;

import dev.keel.core.KeelException;

/**
 * How model runtimes use the machine.
 *
 * <p>{@code intraOpThreads}: threads ONNX Runtime may use inside one call. The default, 1, is
 * what serves small models fastest: the requests themselves already run on many threads, and an
 * intra-op pool per session would make them queue behind each other's spinning workers (and
 * multiply threads by the number of loaded models). Raise it for a few large models served at
 * low concurrency.
 */
public record RuntimeOptions(int intraOpThreads) {
    public static final RuntimeOptions DEFAULT = new RuntimeOptions(1);

    public RuntimeOptions {
        if (intraOpThreads < 1 || intraOpThreads > 256) {
            throw KeelException.invalid("'intra_op_threads' must be between 1 and 256 (got " + intraOpThreads + ")");
        }
    }
}
