package dev.keel.serving.batching;

import dev.keel.serving.runtime.ModelRuntime;
import dev.keel.serving.runtime.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Gathers one model's requests into batches while the model is busy, so batch size follows
 * load. The model is busy while as many calls are in flight as it has slots — by default one per
 * core: with fewer, requests that could run side by side on idle cores would take turns (with one
 * slot on 2 cores, 2 to 32 callers lost 21–65% of their throughput to batching; see
 * docs/PERFORMANCE.md). A request that finds a free slot and no batch open runs at once, alone:
 * light load adds no latency. While the model is busy, arriving requests gather in the open
 * batch. The request that opened it leads it: it waits until the batch is full, a slot frees (the
 * gathered batch then runs at once) or {@code maxDelay} has passed since the batch opened (it then
 * runs alongside the calls in flight), runs the batch on its own
 * thread and hands every other caller its rows. No thread of its own. A request that does not
 * fit the open batch (too many rows, other outputs asked for, other shapes) closes it early and
 * opens the next one. With a zero delay nothing ever waits for a busy model: in effect, no batching.
 *
 * <p>When a batched call fails, each of its requests is run again on its own, so every caller
 * gets exactly the answer or the error it would have had without batching: one request whose
 * values make the model fail never fails its neighbours. A batch's outputs that do not have the
 * batch as their first dimension cannot be split by rows; those requests are run singly too.
 */
final class MicroBatcher {
    /** {@link #state}'s step for one call in flight. */
    private static final int CALL = 2;
    /** {@link #state}'s bit for a batch open. */
    private static final int OPEN = 1;

    private final int maxRows;
    private final long maxDelayNanos;
    /** How many calls may be in flight before the model counts as busy. */
    private final int slots;
    /**
     * Calls in flight — running or about to run, alone or batched — times {@link #CALL}, plus
     * {@link #OPEN} while a batch is open. One number, so that a request can claim a free slot
     * with one compare-and-set, without the lock. A batch counts in
     * flight from the moment it is closed, so a request arriving between its closing and its
     * leader running it waits for it. Changes to the open bit are made under {@link #lock}.
     */
    private final AtomicInteger state = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when a batch is closed by someone other than its leader, or when a slot frees. */
    private final Condition released = lock.newCondition();
    /** The batch taking requests now; guarded by {@link #lock}. */
    private Batch open;
    private final LongAdder batches = new LongAdder();
    private final LongAdder batchedRequests = new LongAdder();
    private final LongAdder retriedAlone = new LongAdder();
    private final LongAdder ranAtOnce = new LongAdder();
    private final LongAdder waited = new LongAdder();
    private final LongAdder delayExpired = new LongAdder();

    MicroBatcher(BatchingOptions options) {
        this(options, options.slotsInEffect());
    }

    MicroBatcher(BatchingOptions options, int slots) {
        if (slots < 1) {
            throw new IllegalArgumentException("slots must be at least 1 (got " + slots + ")");
        }
        this.maxRows = options.maxBatchSize();
        this.maxDelayNanos = options.maxDelay().toNanos();
        this.slots = slots;
    }

    /** Claims a slot for a call when one is free and no batch is open (requests then queue behind the batch). */
    private boolean claimFreeSlot() {
        while (true) {
            int now = state.get();
            if ((now & OPEN) != 0 || now / CALL >= slots) {
                return false;
            }
            if (state.compareAndSet(now, now + CALL)) {
                return true;
            }
        }
    }

    /** {@code inputs} in signature order and checked, {@code rows} their first dimension (at most the batch size). */
    List<Tensor> predict(ModelRuntime runtime, List<Tensor> inputs, long rows, List<String> outputs) {
        if (claimFreeSlot()) {
            ranAtOnce.increment();
            return runNow(runtime, inputs, outputs);
        }
        if (maxDelayNanos == 0) {
            // a zero delay never waits for a busy model, so no batch is ever open: no lock needed. Counted as
            // a batch of one whose delay ran out at once.
            boolean idle = state.getAndAdd(CALL) / CALL < slots;
            (idle ? ranAtOnce : waited).increment();
            if (!idle) {
                delayExpired.increment();
            }
            return runNow(runtime, inputs, outputs);
        }
        Request request = new Request(runtime, inputs, rows, outputs);
        Batch batch;
        boolean leader;
        lock.lock();
        try {
            if (claimFreeSlot()) {
                ranAtOnce.increment();
                batch = null;
                leader = false;
            } else {
                waited.increment();
                if (open != null && !open.accepts(request, maxRows)) {
                    close(open);
                }
                leader = open == null;
                if (leader) {
                    open = new Batch();
                    state.addAndGet(OPEN);
                }
                batch = open;
                batch.add(request);
                if (batch.rows >= maxRows) {
                    close(batch);
                } else if (leader) {
                    awaitRelease(batch);
                }
                // from here no request joins this batch: requests join only the open batch, under the lock
            }
        } finally {
            lock.unlock();
        }
        if (batch == null) {
            return runNow(runtime, inputs, outputs);
        }
        if (leader) {
            try {
                batch.run();
            } finally {
                finished();
            }
        }
        return request.answer();
    }

    /** What this batcher has done so far. */
    BatchingStats stats() {
        return new BatchingStats(batches.sum(), batchedRequests.sum(), retriedAlone.sum(), ranAtOnce.sum(),
                waited.sum(), delayExpired.sum());
    }

    /** Runs a request alone, already counted in flight. */
    private List<Tensor> runNow(ModelRuntime runtime, List<Tensor> inputs, List<String> outputs) {
        try {
            return runtime.predict(inputs, outputs);
        } finally {
            finished();
        }
    }

    /**
     * The leader's wait, holding the lock (released while waiting): until its batch is closed by
     * another request, a slot frees or {@code maxDelay} has passed. Then the batch is
     * closed and counted in flight.
     */
    private void awaitRelease(Batch batch) {
        long left = maxDelayNanos;
        boolean interrupted = false;
        while (!batch.closed && busy() && left > 0) {
            try {
                left = released.awaitNanos(left);
            } catch (InterruptedException e) {
                // run what has gathered now rather than leave the others waiting
                interrupted = true;
                break;
            }
        }
        if (!batch.closed) {
            if (busy() && !interrupted) {
                delayExpired.increment();
            }
            close(batch);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Under the lock, {@code batch} being the open one: no more requests join it; it counts in flight until run. */
    private void close(Batch batch) {
        batch.closed = true;
        open = null;
        state.addAndGet(CALL - OPEN);
        // its leader may be waiting (a batch closed early); waking a leader that is not waiting costs nothing
        released.signalAll();
    }

    /** Whether every slot has a call in flight. */
    private boolean busy() {
        return state.get() / CALL >= slots;
    }

    /** A call has ended, however it ended: if that freed a slot and a batch is open, the batch need wait no longer. */
    private void finished() {
        int now = state.addAndGet(-CALL);
        if ((now & OPEN) != 0 && now / CALL == slots - 1) {
            // the leader checks the state under the lock before it waits: taking the lock here means it is waiting
            // now (and hears this) or has not checked yet (and will see the free slot)
            lock.lock();
            try {
                released.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** One caller's request and, once its batch has run, its answer. */
    private static final class Request {
        final ModelRuntime runtime;
        final List<Tensor> inputs;
        final long rows;
        final List<String> outputs;
        final CompletableFuture<List<Tensor>> answer = new CompletableFuture<>();

        Request(ModelRuntime runtime, List<Tensor> inputs, long rows, List<String> outputs) {
            this.runtime = runtime;
            this.inputs = inputs;
            this.rows = rows;
            this.outputs = outputs;
        }

        void runAlone() {
            try {
                answer.complete(runtime.predict(inputs, outputs));
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        }

        List<Tensor> answer() {
            boolean interrupted = false;
            try {
                while (true) {
                    try {
                        return answer.get();
                    } catch (InterruptedException e) {
                        // the leader completes every answer; leaving early would only lose this one
                        interrupted = true;
                    } catch (java.util.concurrent.ExecutionException e) {
                        if (e.getCause() instanceof RuntimeException failure) {
                            throw failure;
                        }
                        if (e.getCause() instanceof Error error) {
                            throw error;
                        }
                        throw new IllegalStateException(e.getCause());
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** The requests gathered for one call. */
    private final class Batch {
        private final List<Request> requests = new ArrayList<>();
        long rows;
        /** No more requests join; guarded by {@link #lock}. */
        boolean closed;

        /** Whether {@code request} can join: room left, the same runtime and outputs, stackable inputs. */
        boolean accepts(Request request, int maxRows) {
            Request first = requests.get(0);
            if (rows + request.rows > maxRows || request.runtime != first.runtime
                    || !request.outputs.equals(first.outputs) || request.inputs.size() != first.inputs.size()) {
                return false;
            }
            for (int i = 0; i < first.inputs.size(); i++) {
                if (!TensorRows.stackable(first.inputs.get(i), request.inputs.get(i))) {
                    return false;
                }
            }
            return true;
        }

        void add(Request request) {
            requests.add(request);
            rows += request.rows;
        }

        /** Runs the batch and completes every request's answer, whatever happens. */
        void run() {
            try {
                runOnce();
            } finally {
                for (Request request : requests) {
                    // only after an Error: nobody may be left waiting for an answer that never comes
                    request.answer.completeExceptionally(new IllegalStateException("the batch failed to run"));
                }
            }
        }

        private void runOnce() {
            if (requests.size() == 1) {
                requests.get(0).runAlone();
                return;
            }
            List<Tensor> results;
            Request first = requests.get(0);
            try {
                List<Tensor> stacked = new ArrayList<>(first.inputs.size());
                for (int i = 0; i < first.inputs.size(); i++) {
                    List<Tensor> parts = new ArrayList<>(requests.size());
                    for (Request request : requests) {
                        parts.add(request.inputs.get(i));
                    }
                    stacked.add(TensorRows.concat(parts));
                }
                results = first.runtime.predict(stacked, first.outputs);
            } catch (RuntimeException e) {
                // retried one by one below: each caller gets its own answer or its own error
                results = null;
            }
            if (results == null || !splittable(results)) {
                retriedAlone.add(requests.size());
                requests.forEach(Request::runAlone);
                return;
            }
            batches.increment();
            batchedRequests.add(requests.size());
            long at = 0;
            for (Request request : requests) {
                List<Tensor> mine = new ArrayList<>(results.size());
                for (Tensor output : results) {
                    mine.add(TensorRows.slice(output, at, request.rows));
                }
                at += request.rows;
                request.answer.complete(List.copyOf(mine));
            }
        }

        private boolean splittable(List<Tensor> results) {
            for (Tensor output : results) {
                if (output.shape().length == 0 || output.shape()[0] != rows) {
                    return false;
                }
            }
            return true;
        }
    }
}
