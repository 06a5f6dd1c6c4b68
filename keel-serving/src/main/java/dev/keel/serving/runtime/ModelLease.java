package dev.keel.serving.runtime;

/**
 * The right to use one loaded model for one request. While any lease on a runtime is open, the
 * runtime stays open — even if it was evicted or swapped out meanwhile — so a request never
 * meets a closed session. Use it in try-with-resources; closing twice does nothing. A lease
 * belongs to the request that took it and is not shared between threads.
 */
public final class ModelLease implements AutoCloseable {
    private final LoadedModels.Resident resident;
    private boolean closed;

    ModelLease(LoadedModels.Resident resident) {
        this.resident = resident;
    }

    public ModelKey key() {
        return resident.key();
    }

    public ModelRuntime runtime() {
        if (closed) {
            throw new IllegalStateException("the lease on " + resident.key() + " was closed");
        }
        return resident.runtime();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            resident.release();
        }
    }
}
