package dev.keel.serving;

import dev.keel.api.serving.ModelReference;
import dev.keel.serving.runtime.ModelKey;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Which model version each variant's reference names, remembered for a short while: asking the
 * registry what {@code champion} points at on every request would put a database read in the
 * hot path. A version number needs no asking; an alias or a stage is asked again once its
 * answer is older than {@code refresh}, so moving an alias reaches serving within that time.
 */
final class VariantModels {
    private record Resolved(ModelKey key, long resolvedAtNanos) {
    }

    private final Function<ModelReference, ModelKey> resolver;
    private final long refreshNanos;
    private final ConcurrentHashMap<ModelReference, Resolved> resolved = new ConcurrentHashMap<>();

    VariantModels(Function<ModelReference, ModelKey> resolver, Duration refresh) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.refreshNanos = refresh.toNanos();
    }

    ModelKey resolve(ModelReference reference) {
        if (reference instanceof ModelReference.ByVersion byVersion) {
            Resolved known = resolved.get(reference);
            if (known == null) {
                known = new Resolved(new ModelKey(byVersion.name(), byVersion.version()), 0);
                resolved.putIfAbsent(reference, known);
            }
            return known.key();
        }
        long now = System.nanoTime();
        Resolved known = resolved.get(reference);
        if (known != null && now - known.resolvedAtNanos() < refreshNanos) {
            return known.key();
        }
        // two requests may both ask the registry at the turn of the refresh: harmless, and no lock on the hot path
        Resolved fresh = new Resolved(resolver.apply(reference), now);
        resolved.put(reference, fresh);
        return fresh.key();
    }

    /** Forgets every answer, so the next request asks again (an alias or stage was just changed here). */
    void forget() {
        resolved.clear();
    }
}
