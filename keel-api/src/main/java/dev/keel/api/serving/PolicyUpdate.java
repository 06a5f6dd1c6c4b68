package dev.keel.api.serving;

import dev.keel.core.Checks;

import java.util.List;

/**
 * A new policy for an endpoint, optionally with a new set of variants (null keeps them), made
 * on the endpoint as of {@code expectedVersion}: when another change came first it is refused
 * with 409 rather than silently undoing that change.
 */
public record PolicyUpdate(long expectedVersion, List<Variant> variants, TrafficPolicy policy) {
    public PolicyUpdate {
        Checks.requireNonNull("policy", policy);
        if (variants != null) {
            variants = EndpointRules.variants(variants);
        }
    }
}
