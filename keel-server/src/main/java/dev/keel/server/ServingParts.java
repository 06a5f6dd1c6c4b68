package dev.keel.server;

import dev.keel.api.registry.RegistryService;
import dev.keel.api.serving.EndpointService;
import dev.keel.core.Actor;
import dev.keel.core.AuditLog;
import dev.keel.core.Authorizer;
import dev.keel.server.metrics.ServingMetrics;
import dev.keel.serving.Inference;
import dev.keel.serving.batching.BatchingOptions;
import dev.keel.serving.batching.BatchingPolicy;
import dev.keel.serving.endpoint.EmbeddedEndpointService;
import dev.keel.serving.endpoint.Router;
import dev.keel.serving.rollout.ModelSignals;
import dev.keel.serving.rollout.RolloutController;
import dev.keel.serving.rollout.RolloutScheduler;
import dev.keel.serving.rollout.TrafficStatistics;
import dev.keel.serving.runtime.LoadedModels;
import dev.keel.serving.runtime.ModelLoader;
import dev.keel.store.Database;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * Serving as the platform runs it: endpoints persisted in the metadata database, the router
 * that follows them, the rollout controller ticking every second ({@code scheduler}; null when
 * the caller ticks it), the models loaded on demand
 * under a memory budget, the serving path, and the Prometheus registry its metrics go to.
 * Built by {@link KeelPlatform} only.
 */
public record ServingParts(EndpointService endpoints, Router router, TrafficStatistics statistics,
                           RolloutController rollouts, LoadedModels models, Inference inference,
                           PrometheusMeterRegistry metrics, RolloutScheduler scheduler, JvmGcMetrics gc)
        implements AutoCloseable {
    /** How long serving trusts what an alias or stage resolved to before asking the registry again. */
    static final Duration ALIAS_REFRESH = Duration.ofSeconds(5);
    /** Threads running shadow copies: few, so mirroring never competes much with the primary's requests. */
    static final int SHADOW_THREADS = 2;

    /**
     * @param tickRollouts whether a background scheduler ticks the rollout controller every second;
     *                     off for a platform on a caller's clock (tests move the clock and tick by hand,
     *                     and a second ticker would race them)
     * @param batching     the micro-batching of every model version whose tags do not choose their own
     */
    static ServingParts open(Database database, Clock clock, AuditLog audit, Authorizer authorizer, RegistryService registry,
                             Actor loaderActor, Path cacheDirectory, boolean tickRollouts, BatchingOptions batching) {
        JvmGcMetrics gc = new JvmGcMetrics();
        PrometheusMeterRegistry metrics = prometheus(gc);
        ServingMetrics serving = new ServingMetrics(metrics);

        TrafficStatistics statistics = new TrafficStatistics(clock);
        Router router = new Router(statistics, System.nanoTime());
        EmbeddedEndpointService endpoints = EmbeddedEndpointService.open(database, clock, audit, authorizer, statistics,
                router);
        RolloutController rollouts = new RolloutController(endpoints, statistics, ModelSignals.NONE, clock);
        ModelLoader loader = new ModelLoader(registry, loaderActor, cacheDirectory);
        LoadedModels models = new LoadedModels(loader, defaultBudget(), serving);
        serving.watch(() -> models);
        Inference inference = new Inference(router, models, loader::resolve, ALIAS_REFRESH, SHADOW_THREADS, serving,
                BatchingPolicy.fromTags(loader::tags, batching));
        // several servers on one database: each tick first picks up what the others changed
        RolloutScheduler scheduler = tickRollouts
                ? new RolloutScheduler(endpoints::resync, rollouts, RolloutScheduler.DEFAULT_PERIOD) : null;
        return new ServingParts(endpoints, router, statistics, rollouts, models, inference, metrics, scheduler, gc);
    }

    /** A Prometheus registry with the process's JVM meters (memory, threads, CPU, and {@code gc}, which the caller closes). */
    static PrometheusMeterRegistry prometheus(JvmGcMetrics gc) {
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);
        gc.bindTo(metrics);
        return metrics;
    }

    /**
     * A quarter of the heap's limit: ONNX Runtime keeps its sessions off the heap, so this is
     * an estimate that keeps a process serving hundreds of small models within its means.
     */
    static long defaultBudget() {
        return Math.max(64L * 1024 * 1024, Runtime.getRuntime().maxMemory() / 4);
    }

    /** Stops the rollout ticks, the shadow pool and the models (each closes when its last request ends). */
    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.close();
        }
        inference.close();
        models.close();
        gc.close();
        metrics.close();
    }
}
