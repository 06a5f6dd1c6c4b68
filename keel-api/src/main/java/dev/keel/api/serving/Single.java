package dev.keel.api.serving;

import java.util.List;
import java.util.Map;

/** Every request goes to one variant. */
public record Single(String variant) implements TrafficPolicy {
    public Single {
        ServingName.requireValid("policy.variant", variant);
    }

    @Override
    public String kind() {
        return "single";
    }

    @Override
    public List<String> variants() {
        return List.of(variant);
    }

    @Override
    public Map<String, Double> split() {
        return Map.of(variant, 100.0);
    }
}
