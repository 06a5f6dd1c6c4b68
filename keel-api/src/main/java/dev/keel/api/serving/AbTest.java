package dev.keel.api.serving;

import dev.keel.core.Checks;
import dev.keel.core.KeelException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Traffic split by fixed weights, held until a person decides on the evidence. A request that
 * carries a key (a user or session id) is assigned by a fixed hash of that key, so the same key
 * gets the same variant on every request, every replica and after every restart, for as long as
 * the weights stay the same. Keyless requests are assigned at random in the same proportions.
 *
 * @param weights percent per variant, adding up to 100; kept in name order so the hash ranges
 *                do not depend on the order they were written in
 */
public record AbTest(Map<String, Double> weights) implements TrafficPolicy {
    public static final int MAX_VARIANTS = 16;
    /** Slack for weights written as decimals (33.33 + 33.33 + 33.34). */
    private static final double SUM_TOLERANCE = 1e-6;

    public AbTest {
        Checks.requireNonNull("policy.weights", weights);
        if (weights.size() < 2 || weights.size() > MAX_VARIANTS) {
            throw KeelException.invalid("'policy.weights' must name 2 to " + MAX_VARIANTS + " variants (got "
                    + weights.size() + ")");
        }
        Map<String, Double> sorted = new TreeMap<>();
        double sum = 0;
        for (Map.Entry<String, Double> entry : weights.entrySet()) {
            ServingName.requireValid("policy.weights variant", entry.getKey());
            String field = "policy.weights." + entry.getKey();
            Checks.requireNonNull(field, entry.getValue());
            sum += Percent.requireValid(field, entry.getValue());
            sorted.put(entry.getKey(), entry.getValue());
        }
        if (Math.abs(sum - 100.0) > SUM_TOLERANCE) {
            throw KeelException.invalid("'policy.weights' must add up to 100 (got " + sum + ")");
        }
        weights = Collections.unmodifiableMap(new LinkedHashMap<>(sorted));
    }

    @Override
    public String kind() {
        return "ab_test";
    }

    @Override
    public List<String> variants() {
        return List.copyOf(new ArrayList<>(weights.keySet()));
    }

    @Override
    public Map<String, Double> split() {
        return weights;
    }
}
