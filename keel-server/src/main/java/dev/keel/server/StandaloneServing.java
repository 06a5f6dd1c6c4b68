package dev.keel.server;

import dev.keel.api.registry.ManifestFile;
import dev.keel.api.registry.RegistryService;
import dev.keel.api.serving.Endpoint;
import dev.keel.api.serving.ModelReference;
import dev.keel.api.serving.ServingName;
import dev.keel.api.serving.Single;
import dev.keel.api.serving.Variant;
import dev.keel.core.Actor;
import dev.keel.core.KeelException;
import dev.keel.core.Periodic;
import dev.keel.server.metrics.ServingMetrics;
import dev.keel.serving.Inference;
import dev.keel.serving.batching.BatchingPolicy;
import dev.keel.serving.endpoint.Router;
import dev.keel.serving.rollout.TrafficStatistics;
import dev.keel.serving.runtime.Footprint;
import dev.keel.serving.runtime.LoadedModels;
import dev.keel.serving.runtime.ModelDirectories;
import dev.keel.serving.runtime.ModelKey;
import dev.keel.serving.runtime.ModelLease;
import dev.keel.serving.runtime.ModelLoader;
import dev.keel.serving.runtime.ModelSource;
import dev.keel.serving.runtime.RuntimeOptions;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The serving side of a standalone {@code keel serve} process, and its composition root: what
 * {@link KeelPlatform} is for the full server, this is for a process serving one model — an edge
 * box, or a replica behind a load balancer. It is deliberately small: one in-memory endpoint named
 * after the model (nothing persisted, no rollouts), the loaded models, the serving path and the
 * Prometheus registry. The model comes from a registry — embedded or, through keel-client, a remote
 * Keel server: the same {@link ModelLoader}, which verifies every file's digest — or from a plain
 * local directory ({@link ModelDirectories}). {@link KeelServer#serving} puts the inference routes
 * in front of it.
 *
 * <p>The model is loaded when this opens, so a missing, tampered or unservable model fails the
 * start, not the first request. An alias or a stage is resolved again every
 * {@link ServingParts#ALIAS_REFRESH}; a version it newly names is loaded in the background then,
 * and the one it named before is unloaded once its running requests end.
 */
public final class StandaloneServing implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StandaloneServing.class);
    /** The name of the endpoint's one variant, as the {@code Keel-Variant} header shows it. */
    public static final String VARIANT = "model";

    private final String name;
    private final ModelReference reference;
    private final LoadedModels models;
    private final Router router;
    private final Inference inference;
    private final PrometheusMeterRegistry metrics;
    private final JvmGcMetrics gc;
    private final List<ManifestFile> verifiedFiles;
    private final Periodic follower;
    private volatile ModelKey served;

    private StandaloneServing(String name, ModelReference reference, LoadedModels models, Router router,
                              Inference inference, PrometheusMeterRegistry metrics, JvmGcMetrics gc,
                              List<ManifestFile> verifiedFiles, ModelKey served) {
        this.name = name;
        this.reference = reference;
        this.models = models;
        this.router = router;
        this.inference = inference;
        this.metrics = metrics;
        this.gc = gc;
        this.verifiedFiles = verifiedFiles;
        this.served = served;
        this.follower = reference instanceof ModelReference.ByVersion ? null : follow();
    }

    /**
     * Serves the registered model version {@code reference} names, read from {@code registry} as
     * {@code actor} and cached under {@code cacheDirectory}; its OIP name is {@code name}, or the
     * registered model's name when null.
     */
    public static StandaloneServing fromRegistry(RegistryService registry, Actor actor, Path cacheDirectory,
                                                 ModelReference reference, String name, StandaloneOptions options) {
        ModelLoader loader = new ModelLoader(registry, actor, cacheDirectory, options.runtime(), Footprint.DEFAULT);
        return open(name == null ? reference.name() : name, reference, loader, loader::resolve, options,
                key -> registry.getModelVersion(actor, key.name(), key.version()).manifest().files());
    }

    /** Serves the model in a local directory under {@code name}, or the directory's own name when null. */
    public static StandaloneServing fromDirectory(Path directory, String name, StandaloneOptions options) {
        String served = name == null ? directoryName(directory) : name;
        ServingName.requireValid("name", served);
        RuntimeOptions runtime = options.runtime();
        ModelDirectories directories = new ModelDirectories(Map.of(served, directory), runtime, Footprint.DEFAULT);
        return open(served, new ModelReference.ByVersion(served, 1), directories, reference -> {
            throw KeelException.notFound("a local model directory has no aliases or stages");
        }, options, key -> List.of());
    }

    private static StandaloneServing open(String name, ModelReference reference, ModelSource source,
                                          Function<ModelReference, ModelKey> resolver, StandaloneOptions options,
                                          Function<ModelKey, List<ManifestFile>> manifestFiles) {
        try {
            ServingName.requireValid("name", name);
        } catch (KeelException e) {
            throw KeelException.invalid(e.getMessage() + "; pick the name it is served under with --name");
        }
        JvmGcMetrics gc = new JvmGcMetrics();
        PrometheusMeterRegistry metrics = ServingParts.prometheus(gc);
        ServingMetrics listener = new ServingMetrics(metrics);
        LoadedModels models = new LoadedModels(source, options.memoryBudgetBytes(), listener);
        listener.watch(() -> models);
        Router router = new Router(new TrafficStatistics(Clock.systemUTC()), System.nanoTime());
        // the flags are the default; the served version's tags override them
        Inference inference = new Inference(router, models, resolver, ServingParts.ALIAS_REFRESH, 1, listener,
                BatchingPolicy.fromTags(source::tags, options.batching()));
        try {
            Instant now = Instant.now();
            router.changed(new Endpoint(name, List.of(new Variant(VARIANT, reference)), new Single(VARIANT), null, 1,
                    "keel serve", now, now));
            ModelKey served;
            // eager: fetching, verifying every digest and opening the runtime happen now, not on the first request
            try (ModelLease lease = inference.lease(reference)) {
                served = lease.key();
            }
            return new StandaloneServing(name, reference, models, router, inference, metrics, gc,
                    List.copyOf(manifestFiles.apply(served)), served);
        } catch (RuntimeException e) {
            inference.close();
            models.close();
            gc.close();
            metrics.close();
            throw e;
        }
    }

    private static String directoryName(Path directory) {
        Path absolute = directory.toAbsolutePath().normalize();
        Path last = absolute.getFileName();
        if (last == null) {
            throw KeelException.invalid("'model' directory '" + directory + "' has no name; give one with --name");
        }
        return last.toString();
    }

    /** Re-resolves the alias or stage on the refresh period, so a moved alias is loaded before requests need it. */
    private Periodic follow() {
        return Periodic.every(ServingParts.ALIAS_REFRESH, "keel-serve-follow", this::followReference);
    }

    /** One look at what the alias or stage names now, loading a new version before requests go to it. */
    void followReference() {
        try {
            ModelKey before = served;
            ModelKey now;
            // ask the registry now rather than trust an answer up to a period old: a replica lags by one period at most
            inference.forgetResolvedVersions();
            try (ModelLease lease = inference.lease(reference)) {
                now = lease.key();
            }
            if (!now.equals(before)) {
                served = now;
                models.unload(before);
                log.info("{} now names {} (was {}); serving it as '{}'", reference.uri(), now, before, name);
            }
        } catch (RuntimeException e) {
            // the registry may be briefly unreachable: keep serving what is loaded, try again next period
            log.warn("could not follow {}: {}", reference.uri(), e.getMessage());
        }
    }

    /** The OIP model name (the endpoint's name). */
    public String name() {
        return name;
    }

    /** What was asked for: a version, an alias or a stage (a local directory is version 1 of its name). */
    public ModelReference reference() {
        return reference;
    }

    /** The model version served now. */
    public ModelKey served() {
        return served;
    }

    /** The served version's files with the SHA-256 each was verified against (none for a local directory). */
    public List<ManifestFile> verifiedFiles() {
        return verifiedFiles;
    }

    public Router router() {
        return router;
    }

    public Inference inference() {
        return inference;
    }

    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    @Override
    public void close() {
        if (follower != null) {
            follower.close();
        }
        inference.close();
        models.close();
        gc.close();
        metrics.close();
    }
}
