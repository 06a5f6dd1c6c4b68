package dev.keel.serving;

import dev.keel.api.serving.ModelReference;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import dev.keel.serving.batching.BatchingOptions;
import dev.keel.serving.batching.BatchingPolicy;
import dev.keel.serving.batching.BatchingStats;
import dev.keel.serving.batching.MicroBatching;
import dev.keel.serving.endpoint.Route;
import dev.keel.serving.endpoint.Router;
import dev.keel.serving.runtime.LoadedModels;
import dev.keel.serving.runtime.ModelKey;
import dev.keel.serving.runtime.ModelLease;
import dev.keel.serving.runtime.ModelRuntime;
import dev.keel.serving.runtime.Tensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The serving path, the same for every protocol: the router picks the endpoint's variant for
 * this request, the variant's model version is leased from the loaded models (loaded on first
 * use), the request is fitted to its signature, checked and run, and the outcome — latency, and
 * whether the model failed — goes to the variant's statistics, which rollout analysis reads.
 * A mirrored request is copied to the shadow on a separate, bounded pool after the primary has
 * answered: the shadow's outputs are compared and recorded, never returned, and when the pool
 * is busy the copy is dropped rather than making anyone wait.
 *
 * <p>A client's mistake (400) is not held against the variant; a model failing on a valid
 * request is, and is a 500 for that request only.
 *
 * <p>With batching on for a model version ({@link BatchingPolicy}: a process default, a version's
 * tags), concurrent requests to it may be run in one call and split back by rows
 * ({@link MicroBatching}); each caller still gets exactly its own answer or error.
 */
public final class Inference implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Inference.class);
    /** Mirrored copies waiting at most; more are dropped (and counted) so a slow shadow never builds up memory. */
    static final int SHADOW_QUEUE = 1024;
    /** The signal a shadow's statistics carry: 1 when its outputs matched the primary's, 0 when not. */
    public static final String AGREEMENT = "agreement";

    private final Router router;
    private final LoadedModels models;
    private final VariantModels variants;
    private final InferenceListener listener;
    private final ThreadPoolExecutor shadows;
    private final MicroBatching batching;

    /**
     * @param resolver what a variant's alias or stage names now (the registry); asked again after {@code refresh}
     */
    public Inference(Router router, LoadedModels models, Function<ModelReference, ModelKey> resolver, Duration refresh,
                     int shadowThreads, InferenceListener listener) {
        this(router, models, resolver, refresh, shadowThreads, listener, BatchingOptions.OFF);
    }

    /**
     * As above, with micro-batching of concurrent requests to one model as {@code batching} sets
     * it for every model ({@link BatchingOptions#OFF}: none).
     */
    public Inference(Router router, LoadedModels models, Function<ModelReference, ModelKey> resolver, Duration refresh,
                     int shadowThreads, InferenceListener listener, BatchingOptions batching) {
        this(router, models, resolver, refresh, shadowThreads, listener, BatchingPolicy.everywhere(batching));
    }

    /**
     * As above, with micro-batching as {@code batching} chooses it for each model version (a
     * process default that a version's tags override: {@link BatchingPolicy#fromTags}).
     */
    public Inference(Router router, LoadedModels models, Function<ModelReference, ModelKey> resolver, Duration refresh,
                     int shadowThreads, InferenceListener listener, BatchingPolicy batching) {
        this.batching = new MicroBatching(Objects.requireNonNull(batching, "batching"));
        this.router = Objects.requireNonNull(router, "router");
        this.models = Objects.requireNonNull(models, "models");
        this.variants = new VariantModels(resolver, refresh);
        this.listener = Objects.requireNonNull(listener, "listener");
        this.shadows = new ThreadPoolExecutor(shadowThreads, shadowThreads, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(SHADOW_QUEUE), runnable -> {
                    Thread thread = new Thread(runnable, "keel-shadow");
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.AbortPolicy());
        this.shadows.allowCoreThreadTimeOut(true);
    }

    /**
     * Answers one request to {@code endpoint}; {@code key} (may be null) keeps a caller on one
     * variant of an A/B test. {@code outputs} names the outputs wanted (empty: all).
     */
    public Answer predict(String endpoint, CharSequence key, InputBinder inputs, List<String> outputs) {
        Route route = router.route(endpoint, key);
        ModelKey model = variants.resolve(route.variant().model());
        long start = System.nanoTime();
        List<Tensor> result;
        try {
            result = run(model, inputs, outputs);
        } catch (KeelException e) {
            if (e.code().httpStatus() >= 500) {
                long nanos = System.nanoTime() - start;
                route.statistics().record(nanos, true);
                listener.answered(endpoint, route.variant().name(), model, nanos, true);
            }
            throw e;
        }
        long nanos = System.nanoTime() - start;
        route.statistics().record(nanos, false);
        listener.answered(endpoint, route.variant().name(), model, nanos, false);
        if (route.mirror()) {
            mirror(route, inputs, outputs, result);
        }
        return new Answer(endpoint, route.variant().name(), model, result);
    }

    /** Answers one request with a model version directly, outside any endpoint (no routing, no statistics). */
    public Answer predict(ModelReference reference, InputBinder inputs, List<String> outputs) {
        ModelKey model = variants.resolve(reference);
        long start = System.nanoTime();
        try {
            List<Tensor> result = run(model, inputs, outputs);
            listener.answered(null, null, model, System.nanoTime() - start, false);
            return new Answer(null, null, model, result);
        } catch (KeelException e) {
            if (e.code().httpStatus() >= 500) {
                listener.answered(null, null, model, System.nanoTime() - start, true);
            }
            throw e;
        }
    }

    /** The model version {@code reference} names now, as serving sees it (aliases and stages resolved). */
    public ModelKey resolve(ModelReference reference) {
        return variants.resolve(reference);
    }

    /**
     * The runtime of {@code reference}'s version, leased: to describe it (signature, readiness)
     * without running it. A version that cannot be served as its tags ask (a malformed batching
     * tag) is refused here too, with the 400 its requests get.
     */
    public ModelLease lease(ModelReference reference) {
        ModelKey model = variants.resolve(reference);
        batching.options(model);
        return models.lease(model);
    }

    /** What micro-batching has done so far (all zero while it is off). */
    public BatchingStats batchingStats() {
        return batching.stats();
    }

    /** What micro-batching has done for {@code model} so far (all zero while it is off for it). */
    public BatchingStats batchingStats(ModelKey model) {
        return batching.stats(model);
    }

    /** The micro-batching {@code model} gets here: the process default or what its tags say; a 400 for a bad tag. */
    public BatchingOptions batching(ModelKey model) {
        return batching.options(model);
    }

    /** Aliases or stages moved: the next request asks the registry again instead of waiting for the refresh. */
    public void forgetResolvedVersions() {
        variants.forget();
    }

    private List<Tensor> run(ModelKey model, InputBinder inputs, List<String> outputs) {
        try (ModelLease lease = models.lease(model)) {
            ModelRuntime runtime = lease.runtime();
            return batching.predict(runtime, inputs.bind(runtime.signature()), outputs);
        } catch (KeelException e) {
            throw e;
        } catch (RuntimeException e) {
            // a fault below the runtime's own handling: this request fails, the server stays up
            log.warn("{} failed on a request", model, e);
            throw new KeelException(ErrorCode.INTERNAL_ERROR, model + " failed: " + e);
        }
    }

    private void mirror(Route route, InputBinder inputs, List<String> outputs, List<Tensor> primary) {
        String endpoint = route.endpoint();
        String shadow = route.shadow().name();
        try {
            shadows.execute(() -> {
                long start = System.nanoTime();
                boolean failed = false;
                boolean agreed = false;
                try {
                    ModelKey model = variants.resolve(route.shadow().model());
                    agreed = OutputAgreement.agree(primary, run(model, inputs, outputs));
                } catch (RuntimeException e) {
                    failed = true;
                    log.debug("shadow {} of endpoint {} failed: {}", shadow, endpoint, e.getMessage());
                }
                long nanos = System.nanoTime() - start;
                if (failed) {
                    route.shadowStatistics().record(nanos, true);
                } else {
                    // agreement with the primary as a signal: its mean over a window is the agreement rate
                    route.shadowStatistics().record(nanos, false, Map.of(AGREEMENT, agreed ? 1.0 : 0.0));
                }
                listener.shadowed(endpoint, shadow, nanos, failed, agreed);
            });
        } catch (RejectedExecutionException e) {
            listener.shadowDropped(endpoint, shadow);
        }
    }

    /** Stops the shadow pool (copies waiting are dropped); the loaded models belong to whoever made them. */
    @Override
    public void close() {
        shadows.shutdownNow();
    }
}
