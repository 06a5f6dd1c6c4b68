package dev.keel.serving.runtime;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closes a native resource only after the last call using it has returned. Closing an ONNX
 * Runtime session while {@code run} is executing on it crashes the JVM (a SIGSEGV in native
 * code, seen here), taking every other model down with it. {@link LoadedModels}' leases already
 * keep that from happening; this is the runtime's own guard, so a caller that closes too early
 * gets a clear error on its next call instead of a dead process.
 */
final class InFlightCalls {
    /** Set once closing has begun; the bits below it count the calls in flight. */
    private static final long CLOSING = 1L << 62;

    private final AtomicLong state = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Runnable closer;

    InFlightCalls(Runnable closer) {
        this.closer = closer;
    }

    /** Starts a call; false (and nothing to end) when closing has begun. */
    boolean enter() {
        if ((state.incrementAndGet() & CLOSING) != 0) {
            exit();
            return false;
        }
        return true;
    }

    /** Ends a call started by a successful {@link #enter()}. */
    void exit() {
        if (state.decrementAndGet() == CLOSING) {
            closeOnce();
        }
    }

    /** Takes no more calls; closes now if none is running, otherwise when the last one ends. */
    void close() {
        if (state.getAndUpdate(value -> value | CLOSING) == 0) {
            closeOnce();
        }
    }

    boolean isClosed() {
        return closed.get();
    }

    private void closeOnce() {
        if (closed.compareAndSet(false, true)) {
            closer.run();
        }
    }
}
