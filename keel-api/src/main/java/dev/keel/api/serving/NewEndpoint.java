package dev.keel.api.serving;

import java.util.List;

/** What {@link EndpointService#createEndpoint} needs: a name, the variants, how traffic splits, and an optional shadow. */
public record NewEndpoint(String name, List<Variant> variants, TrafficPolicy policy, Shadow shadow) {
    public NewEndpoint {
        ServingName.requireValid("name", name);
        variants = EndpointRules.variants(variants);
        EndpointRules.references(variants, policy, shadow);
    }
}
