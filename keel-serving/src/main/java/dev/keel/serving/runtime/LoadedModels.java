package dev.keel.serving.runtime;

import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The models a serving process holds in memory, keyed by resolved name and version: loaded on
 * first use, unloaded least-recently-used first to stay within a memory budget, and swapped
 * without dropping a request — so one process can serve hundreds of registered models.
 *
 * <ul>
 * <li><b>Lazy loading.</b> {@link #lease} loads a model the first time it is asked for; requests
 * for the same model meanwhile wait for that one load (and share its failure, if it fails — the
 * next request tries again).</li>
 * <li><b>Memory budget.</b> Each model's footprint is estimated from its files before it loads
 * ({@link ModelSource#footprintBytes}, {@link Footprint}); room is made first by unloading the
 * least recently used models, so the estimated bytes of the models held (and being loaded) never
 * exceed the budget. A model bigger than the whole budget is refused (503). An unloaded model
 * that is still finishing requests no longer counts: it takes no new ones and closes as soon as
 * they are done ({@link LoadedModelsStats#draining()}).</li>
 * <li><b>Leases.</b> Every request holds a {@link ModelLease}; a runtime is closed only when it
 * has left the cache and its last lease has ended. That is what makes unloading and swapping
 * safe while requests run: ONNX Runtime must never close a session a call is still using.</li>
 * <li><b>Hot swap.</b> {@link #swap} and {@link #reload} replace what a key serves in one step:
 * requests that start after it get the new runtime, requests already running finish on the
 * old one, which then closes.</li>
 * </ul>
 *
 * Taking a lease on a loaded model costs a map lookup and two atomic increments: it runs on every
 * request.
 */
public final class LoadedModels implements AutoCloseable {
    private final ModelSource source;
    private final long budgetBytes;
    private final LoadListener listener;
    private final ConcurrentHashMap<ModelKey, CompletableFuture<Resident>> slots = new ConcurrentHashMap<>();
    /** Orders uses for least-recently-used eviction: a counter, not a clock, so ties cannot happen. */
    private final AtomicLong uses = new AtomicLong();
    /** Guards {@link #usedBytes} and every change to which models count against it. */
    private final Object budget = new Object();
    private long usedBytes;
    private volatile boolean closed;

    private final AtomicInteger draining = new AtomicInteger();
    private final AtomicLong loads = new AtomicLong();
    private final AtomicLong loadFailures = new AtomicLong();
    private final AtomicLong evictions = new AtomicLong();
    private final AtomicLong swaps = new AtomicLong();
    private final AtomicLong loadNanos = new AtomicLong();

    public LoadedModels(ModelSource source, long budgetBytes, LoadListener listener) {
        this.source = Objects.requireNonNull(source, "source");
        if (budgetBytes <= 0) {
            throw KeelException.invalid("the serving memory budget must be positive (got " + budgetBytes + " bytes)");
        }
        this.budgetBytes = budgetBytes;
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    public ModelSource source() {
        return source;
    }

    /** A lease on the model, loading it first if it is not held. The caller closes the lease. */
    public ModelLease lease(ModelKey key) {
        Objects.requireNonNull(key, "key");
        while (true) {
            CompletableFuture<Resident> slot = slots.get(key);
            if (slot == null) {
                requireOpen();
                CompletableFuture<Resident> mine = new CompletableFuture<>();
                slot = slots.putIfAbsent(key, mine);
                if (slot == null) {
                    return new ModelLease(load(key, mine));
                }
            }
            Resident resident = await(slot);
            if (resident.acquire()) {
                resident.lastUse = uses.incrementAndGet();
                return new ModelLease(resident);
            }
            // unloaded between the lookup and the lease: look again
        }
    }

    /**
     * Makes {@code key} serve {@code replacement} from now on, counting {@code footprintBytes}
     * against the budget; the runtime it served before closes when its last lease ends. If
     * {@code key} is being loaded, the load finishes first and is then replaced.
     */
    public void swap(ModelKey key, ModelRuntime replacement, long footprintBytes) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(replacement, "replacement");
        List<Resident> unloaded = new ArrayList<>();
        Resident old;
        while (true) {
            CompletableFuture<Resident> current = slots.get(key);
            if (current != null && !current.isDone()) {
                current.handle((resident, error) -> null).join();
                continue;
            }
            synchronized (budget) {
                if (closed) {
                    replacement.close();
                    throw shuttingDown();
                }
                if (current != slots.get(key)) {
                    continue;
                }
                if (footprintBytes > budgetBytes) {
                    replacement.close();
                    throw tooLarge(key, footprintBytes);
                }
                old = current == null ? null : current.join();
                long freed = old == null ? 0 : old.footprintBytes;
                makeRoom(footprintBytes - freed, key, unloaded);
                Resident fresh = new Resident(key, replacement, footprintBytes, 1);
                fresh.lastUse = uses.incrementAndGet();
                slots.put(key, CompletableFuture.completedFuture(fresh));
                usedBytes += footprintBytes - freed;
                swaps.incrementAndGet();
                break;
            }
        }
        if (old != null) {
            retired(old, LoadListener.Unloaded.SWAPPED);
        }
        unloaded.forEach(resident -> retired(resident, LoadListener.Unloaded.EVICTED));
    }

    /**
     * Loads {@code key} afresh from the source and swaps it in; requests keep being served by the
     * runtime held now while the new one loads. For a model whose files changed (a local directory
     * edited in place) or whose runtime is suspected of being in a bad state. While it loads, both
     * runtimes are in memory; the budget counts the new one from the moment it is swapped in.
     */
    public void reload(ModelKey key) {
        long started = System.nanoTime();
        long footprint;
        ModelRuntime fresh;
        try {
            footprint = source.footprintBytes(key);
            fresh = source.open(key);
        } catch (RuntimeException e) {
            KeelException error = asKeel(key, e);
            loadFailed(key, error, started);
            throw error;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        loads.incrementAndGet();
        loadNanos.addAndGet(took.toNanos());
        listener.loaded(key, footprint, took);
        swap(key, fresh, footprint);
    }

    /** Unloads {@code key} if it is held; it closes once its running requests are done. */
    public boolean unload(ModelKey key) {
        CompletableFuture<Resident> slot = slots.get(key);
        if (slot == null || !slot.isDone() || slot.isCompletedExceptionally()) {
            return false;
        }
        return retire(key, slot, LoadListener.Unloaded.UNLOADED);
    }

    /** The models held now (not those still loading), most recently used first. */
    public List<ModelKey> loaded() {
        List<Resident> residents = new ArrayList<>();
        for (CompletableFuture<Resident> slot : slots.values()) {
            Resident resident = loadedOrNull(slot);
            if (resident != null) {
                residents.add(resident);
            }
        }
        residents.sort((a, b) -> Long.compare(b.lastUse, a.lastUse));
        return residents.stream().map(Resident::key).toList();
    }

    public LoadedModelsStats stats() {
        int loaded = 0;
        for (CompletableFuture<Resident> slot : slots.values()) {
            if (loadedOrNull(slot) != null) {
                loaded++;
            }
        }
        long used;
        synchronized (budget) {
            used = usedBytes;
        }
        return new LoadedModelsStats(loaded, used, budgetBytes, draining.get(), loads.get(), loadFailures.get(),
                evictions.get(), swaps.get(), Duration.ofNanos(loadNanos.get()));
    }

    public long budgetBytes() {
        return budgetBytes;
    }

    /** Takes no more requests and unloads every model; each closes when its running requests are done. */
    @Override
    public void close() {
        closed = true;
        for (Map.Entry<ModelKey, CompletableFuture<Resident>> entry : slots.entrySet()) {
            if (entry.getValue().isDone()) {
                retire(entry.getKey(), entry.getValue(), LoadListener.Unloaded.CLOSED);
            }
        }
    }

    // loading

    private Resident load(ModelKey key, CompletableFuture<Resident> mine) {
        long started = System.nanoTime();
        long footprint = 0;
        boolean reserved = false;
        Resident resident;
        try {
            footprint = source.footprintBytes(key);
            reserve(key, footprint);
            reserved = true;
            // two holds: the cache's own and the lease of the request that asked for it
            resident = new Resident(key, source.open(key), footprint, 2);
        } catch (RuntimeException e) {
            KeelException error = asKeel(key, e);
            synchronized (budget) {
                if (reserved) {
                    usedBytes -= footprint;
                }
                slots.remove(key, mine);
            }
            loadFailed(key, error, started);
            mine.completeExceptionally(error);
            throw error;
        }
        resident.lastUse = uses.incrementAndGet();
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        loads.incrementAndGet();
        loadNanos.addAndGet(took.toNanos());
        mine.complete(resident);
        listener.loaded(key, footprint, took);
        if (closed) {
            retire(key, mine, LoadListener.Unloaded.CLOSED);
        }
        return resident;
    }

    private void loadFailed(ModelKey key, KeelException error, long started) {
        loadFailures.incrementAndGet();
        listener.loadFailed(key, error, Duration.ofNanos(System.nanoTime() - started));
    }

    /** Counts {@code bytes} for {@code key}, unloading least recently used models first to make room. */
    private void reserve(ModelKey key, long bytes) {
        if (bytes > budgetBytes) {
            throw tooLarge(key, bytes);
        }
        List<Resident> unloaded = new ArrayList<>();
        try {
            synchronized (budget) {
                requireOpen();
                makeRoom(bytes, key, unloaded);
                usedBytes += bytes;
            }
        } finally {
            unloaded.forEach(resident -> retired(resident, LoadListener.Unloaded.EVICTED));
        }
    }

    /** Unloads least recently used models other than {@code key} until {@code bytes} more fit. Holds the budget lock. */
    private void makeRoom(long bytes, ModelKey key, List<Resident> unloaded) {
        while (usedBytes + bytes > budgetBytes) {
            ModelKey victimKey = null;
            CompletableFuture<Resident> victimSlot = null;
            long oldest = Long.MAX_VALUE;
            for (Map.Entry<ModelKey, CompletableFuture<Resident>> entry : slots.entrySet()) {
                Resident resident = loadedOrNull(entry.getValue());
                if (resident != null && !entry.getKey().equals(key) && resident.lastUse < oldest) {
                    oldest = resident.lastUse;
                    victimKey = entry.getKey();
                    victimSlot = entry.getValue();
                }
            }
            if (victimKey == null) {
                throw new KeelException(ErrorCode.TEMPORARILY_UNAVAILABLE, "no room to load " + key + ": the models "
                        + "being loaded take the rest of the serving memory budget (" + megabytes(budgetBytes)
                        + "); try again");
            }
            slots.remove(victimKey, victimSlot);
            Resident victim = victimSlot.join();
            usedBytes -= victim.footprintBytes;
            evictions.incrementAndGet();
            unloaded.add(victim);
        }
    }

    /** Takes {@code slot} out of the cache if it still holds {@code key}; true when this call did. */
    private boolean retire(ModelKey key, CompletableFuture<Resident> slot, LoadListener.Unloaded why) {
        Resident resident;
        synchronized (budget) {
            if (!slots.remove(key, slot)) {
                return false;
            }
            resident = slot.join();
            usedBytes -= resident.footprintBytes;
        }
        retired(resident, why);
        return true;
    }

    /** A resident out of the cache: drop the cache's hold; it closes now or when its last lease ends. */
    private void retired(Resident resident, LoadListener.Unloaded why) {
        draining.incrementAndGet();
        listener.unloaded(resident.key, why);
        resident.release();
    }

    private static Resident await(CompletableFuture<Resident> slot) {
        try {
            return slot.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof KeelException keel) {
                throw keel;
            }
            throw e;
        }
    }

    private static Resident loadedOrNull(CompletableFuture<Resident> slot) {
        return slot.isDone() && !slot.isCompletedExceptionally() ? slot.join() : null;
    }

    private void requireOpen() {
        if (closed) {
            throw shuttingDown();
        }
    }

    private static KeelException shuttingDown() {
        return new KeelException(ErrorCode.TEMPORARILY_UNAVAILABLE, "serving is shutting down");
    }

    private KeelException tooLarge(ModelKey key, long bytes) {
        return new KeelException(ErrorCode.TEMPORARILY_UNAVAILABLE, key + " needs an estimated " + megabytes(bytes)
                + ", more than the whole serving memory budget of " + megabytes(budgetBytes)
                + "; raise the budget to serve it");
    }

    private static KeelException asKeel(ModelKey key, RuntimeException e) {
        return e instanceof KeelException keel ? keel
                : new KeelException(ErrorCode.INTERNAL_ERROR, key + " could not be loaded: " + e, e);
    }

    private static String megabytes(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    /** A runtime with its reference count: one hold for the cache while it is in it, one per open lease. */
    final class Resident {
        private final ModelKey key;
        private final ModelRuntime runtime;
        private final long footprintBytes;
        private final AtomicInteger holds;
        volatile long lastUse;

        Resident(ModelKey key, ModelRuntime runtime, long footprintBytes, int holds) {
            this.key = key;
            this.runtime = runtime;
            this.footprintBytes = footprintBytes;
            this.holds = new AtomicInteger(holds);
        }

        ModelKey key() {
            return key;
        }

        ModelRuntime runtime() {
            return runtime;
        }

        /** One more hold, unless the last one is already gone (then the runtime is closing or closed). */
        boolean acquire() {
            while (true) {
                int current = holds.get();
                if (current == 0) {
                    return false;
                }
                if (holds.compareAndSet(current, current + 1)) {
                    return true;
                }
            }
        }

        void release() {
            if (holds.decrementAndGet() == 0) {
                try {
                    runtime.close();
                } finally {
                    draining.decrementAndGet();
                    listener.closed(key);
                }
            }
        }
    }
}
