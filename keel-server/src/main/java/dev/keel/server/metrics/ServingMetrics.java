package dev.keel.server.metrics;

import dev.keel.serving.InferenceListener;
import dev.keel.serving.runtime.LoadListener;
import dev.keel.serving.runtime.LoadedModels;
import dev.keel.serving.runtime.ModelKey;
import dev.keel.core.KeelException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Serving's figures as Prometheus sees them: requests, errors and a latency histogram per
 * endpoint and variant (and per model version for direct calls), shadow copies and their
 * agreement, model load times and failures, models loaded and the memory they take.
 *
 * <p>The meters for one endpoint and variant are looked up once and kept: registering a meter
 * by its tags on every request would cost more than the small models take to run.
 */
public final class ServingMetrics implements InferenceListener, LoadListener {
    private static final String DIRECT = "";

    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, VariantMeters>> variants = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, ShadowMeters>> shadows = new ConcurrentHashMap<>();

    private record VariantMeters(Counter answered, Counter failed, Timer latency) {
    }

    private record ShadowMeters(Counter agreed, Counter disagreed, Counter failed, Counter dropped) {
    }

    public ServingMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Gauges of the model cache: models loaded, estimated bytes they take, the budget. */
    public void watch(Supplier<LoadedModels> models) {
        Gauge.builder("keel_models_loaded", () -> models.get().stats().loadedModels())
                .description("Model versions loaded and taking requests").register(registry);
        Gauge.builder("keel_models_memory_bytes", () -> models.get().stats().usedBytes())
                .description("Estimated memory of the loaded models").baseUnit("bytes").register(registry);
        Gauge.builder("keel_models_memory_budget_bytes", () -> models.get().stats().budgetBytes())
                .description("Memory budget of the loaded models; least recently used ones are unloaded past it")
                .baseUnit("bytes").register(registry);
    }

    @Override
    public void answered(String endpoint, String variant, ModelKey model, long nanos, boolean failed) {
        VariantMeters meters = endpoint == null
                ? meters(DIRECT, model.name() + "/" + model.version())
                : meters(endpoint, variant);
        if (failed) {
            meters.failed().increment();
        } else {
            meters.answered().increment();
        }
        meters.latency().record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    @Override
    public void shadowed(String endpoint, String variant, long nanos, boolean failed, boolean agreed) {
        ShadowMeters meters = shadow(endpoint, variant);
        if (failed) {
            meters.failed().increment();
        } else if (agreed) {
            meters.agreed().increment();
        } else {
            meters.disagreed().increment();
        }
    }

    @Override
    public void shadowDropped(String endpoint, String variant) {
        shadow(endpoint, variant).dropped().increment();
    }

    @Override
    public void loaded(ModelKey key, long footprintBytes, Duration took) {
        Timer.builder("keel_model_load").description("Time to fetch, verify and open a model version")
                .tag("model", key.name()).register(registry).record(took);
    }

    @Override
    public void loadFailed(ModelKey key, KeelException error, Duration took) {
        Counter.builder("keel_model_load_failures").description("Model loads that failed")
                .tag("model", key.name()).register(registry).increment();
    }

    @Override
    public void unloaded(ModelKey key, Unloaded why) {
        Counter.builder("keel_model_unloads").description("Models taken out of the cache, by reason")
                .tag("reason", why.name().toLowerCase(java.util.Locale.ROOT)).register(registry).increment();
    }

    private VariantMeters meters(String endpoint, String variant) {
        ConcurrentHashMap<String, VariantMeters> byVariant = variants.computeIfAbsent(endpoint, e -> new ConcurrentHashMap<>());
        VariantMeters meters = byVariant.get(variant);
        if (meters == null) {
            meters = byVariant.computeIfAbsent(variant, v -> register(endpoint, v));
        }
        return meters;
    }

    private VariantMeters register(String endpoint, String variant) {
        String endpointTag = endpoint.equals(DIRECT) ? "" : endpoint;
        String variantTag = endpoint.equals(DIRECT) ? "" : variant;
        String modelTag = endpoint.equals(DIRECT) ? variant : "";
        return new VariantMeters(
                Counter.builder("keel_inference_requests").description("Inference requests answered, by outcome")
                        .tags("endpoint", endpointTag, "variant", variantTag, "model", modelTag, "outcome", "ok")
                        .register(registry),
                Counter.builder("keel_inference_requests").description("Inference requests answered, by outcome")
                        .tags("endpoint", endpointTag, "variant", variantTag, "model", modelTag, "outcome", "error")
                        .register(registry),
                Timer.builder("keel_inference_latency").description("Time from routing to the model's answer")
                        .tags("endpoint", endpointTag, "variant", variantTag, "model", modelTag)
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofNanos(10_000))
                        .maximumExpectedValue(Duration.ofSeconds(10))
                        .register(registry));
    }

    private ShadowMeters shadow(String endpoint, String variant) {
        return shadows.computeIfAbsent(endpoint, e -> new ConcurrentHashMap<>()).computeIfAbsent(variant, v -> {
            String help = "Requests copied to a shadow variant, by how its answer compared with the primary's";
            return new ShadowMeters(
                    Counter.builder("keel_shadow_requests").description(help)
                            .tags("endpoint", endpoint, "variant", v, "result", "agreed").register(registry),
                    Counter.builder("keel_shadow_requests").description(help)
                            .tags("endpoint", endpoint, "variant", v, "result", "disagreed").register(registry),
                    Counter.builder("keel_shadow_requests").description(help)
                            .tags("endpoint", endpoint, "variant", v, "result", "failed").register(registry),
                    Counter.builder("keel_shadow_requests").description(help)
                            .tags("endpoint", endpoint, "variant", v, "result", "dropped").register(registry));
        });
    }
}
