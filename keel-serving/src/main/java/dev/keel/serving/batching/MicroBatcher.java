package dev.keel.serving.batching;

import dev.keel.serving.runtime.ModelRuntime;
import dev.keel.serving.runtime.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gathers one model's concurrent requests into batches. No thread of its own: the request that
 * opens a batch leads it — it waits until the batch is full or {@code maxDelay} has passed,
 * runs it on its own thread and hands every other caller its rows — and the others wait for
 * their answer. A request that does not fit the open batch (too many rows, other outputs asked
 * for, other shapes) closes it early and opens the next one.
 *
 * <p>When a batched call fails, each of its requests is run again on its own, so every caller
 * gets exactly the answer or the error it would have had without batching: one request whose
 * values make the model fail never fails its neighbours. A batch's outputs that do not have the
 * batch as their first dimension cannot be split by rows; those requests are run singly too.
 */
final class MicroBatcher {
    private final int maxRows;
    private final long maxDelayNanos;
    private final Object lock = new Object();
    /** The batch taking requests now; guarded by {@link #lock}. */
    private Batch open;
    final AtomicLong batches = new AtomicLong();
    final AtomicLong batchedRequests = new AtomicLong();
    final AtomicLong retriedAlone = new AtomicLong();

    MicroBatcher(BatchingOptions options) {
        this.maxRows = options.maxBatchSize();
        this.maxDelayNanos = options.maxDelay().toNanos();
    }

    /** {@code inputs} in signature order and checked, {@code rows} their first dimension (at most the batch size). */
    List<Tensor> predict(ModelRuntime runtime, List<Tensor> inputs, long rows, List<String> outputs) {
        Request request = new Request(runtime, inputs, rows, outputs);
        Batch batch;
        boolean leader;
        synchronized (lock) {
            if (open != null && !open.accepts(request, maxRows)) {
                open.close();
                open = null;
            }
            leader = open == null;
            if (leader) {
                open = new Batch();
            }
            batch = open;
            batch.add(request);
            if (batch.rows >= maxRows) {
                batch.close();
                open = null;
            }
        }
        if (leader) {
            batch.awaitClosed(maxDelayNanos);
            synchronized (lock) {
                if (open == batch) {
                    open = null;
                }
            }
            // from here no request joins: requests join only the open batch, under the lock
            batch.run();
        }
        return request.answer();
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
        private final CountDownLatch closed = new CountDownLatch(1);
        long rows;

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

        /** No more requests will join: the leader may run it now. */
        void close() {
            closed.countDown();
        }

        void awaitClosed(long nanos) {
            try {
                closed.await(nanos, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                // run what has gathered now rather than leave the others waiting
                Thread.currentThread().interrupt();
            }
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
                retriedAlone.addAndGet(requests.size());
                requests.forEach(Request::runAlone);
                return;
            }
            batches.incrementAndGet();
            batchedRequests.addAndGet(requests.size());
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
