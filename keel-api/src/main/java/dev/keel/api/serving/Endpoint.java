package dev.keel.api.serving;

import dev.keel.core.Checks;
import dev.keel.core.KeelException;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A stable name that callers send requests to, and how those requests reach model versions:
 * the variants it may use, the policy that splits traffic among them, and an optional shadow.
 *
 * @param shadow  null when no traffic is copied
 * @param version goes up by one with every change; an update names the version it read and is
 *                refused (409) when another change came first
 */
public record Endpoint(String name, List<Variant> variants, TrafficPolicy policy, Shadow shadow, long version,
                       String createdBy, Instant createdAt, Instant updatedAt) {
    public Endpoint {
        ServingName.requireValid("name", name);
        variants = EndpointRules.variants(variants);
        EndpointRules.references(variants, policy, shadow);
        Checks.requireNonNull("created_at", createdAt);
        Checks.requireNonNull("updated_at", updatedAt);
    }

    public Variant variant(String variantName) {
        for (Variant variant : variants) {
            if (variant.name().equals(variantName)) {
                return variant;
            }
        }
        throw KeelException.invalid("endpoint '" + name + "' has no variant '" + ServingName.printable(variantName) + "'");
    }

    public boolean hasVariant(String variantName) {
        return variants.stream().anyMatch(variant -> variant.name().equals(variantName));
    }

    /** The registered models this endpoint serves, each once: what permissions are checked on. */
    public Set<String> models() {
        Set<String> models = new LinkedHashSet<>();
        variants.forEach(variant -> models.add(variant.model().name()));
        return models;
    }

    /**
     * The variants that should be loaded at {@code now}: those taking live traffic, both sides of
     * a canary, the shadow, and a blue-green standby while it is kept warm. The runtimes may
     * unload the rest.
     */
    public Set<String> warmVariants(Instant now) {
        Set<String> warm = new LinkedHashSet<>();
        policy.split().forEach((variant, share) -> {
            if (share > 0) {
                warm.add(variant);
            }
        });
        if (policy instanceof Canary canary) {
            warm.addAll(canary.variants());
        }
        if (policy instanceof BlueGreen blueGreen && blueGreen.standbyWarm(now)) {
            warm.add(blueGreen.standby());
        }
        if (shadow != null) {
            warm.add(shadow.variant());
        }
        return warm;
    }

    public Endpoint changed(List<Variant> newVariants, TrafficPolicy newPolicy, Shadow newShadow, Instant now) {
        return new Endpoint(name, newVariants, newPolicy, newShadow, version + 1, createdBy, createdAt, now);
    }
}
