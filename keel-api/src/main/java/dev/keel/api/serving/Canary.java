package dev.keel.api.serving;

import dev.keel.core.Checks;
import dev.keel.core.KeelException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code canary} takes {@code steps[step]} percent of the traffic, {@code stable} the rest. The
 * rollout controller moves to the next step when the analysis between steps passes, and back to
 * {@code stable} alone when it fails. A canary policy is only entered through a rollout
 * ({@link EndpointService#startCanary}), which records its progress and history.
 *
 * @param steps the canary's share at each step, in percent, strictly increasing
 * @param step  the index of the current step in {@code steps}
 */
public record Canary(String stable, String canary, List<Double> steps, int step, CanaryAnalysis analysis)
        implements TrafficPolicy {
    public static final int MAX_STEPS = 20;

    public Canary {
        ServingName.requireValid("policy.stable", stable);
        ServingName.requireValid("policy.canary", canary);
        if (stable.equals(canary)) {
            throw KeelException.invalid("'policy.canary' must differ from 'policy.stable' (both are '" + stable + "')");
        }
        steps = requireValidSteps("policy.steps", steps);
        if (step < 0 || step >= steps.size()) {
            throw KeelException.invalid("'policy.step' must be from 0 to " + (steps.size() - 1) + " (got " + step + ")");
        }
        Checks.requireNonNull("policy.analysis", analysis);
    }

    /** Weight steps: 1 to 20 percentages above 0 and at most 100, each above the one before. */
    public static List<Double> requireValidSteps(String field, List<Double> steps) {
        Checks.requireNonNull(field, steps);
        if (steps.isEmpty() || steps.size() > MAX_STEPS) {
            throw KeelException.invalid("'" + field + "' must hold 1 to " + MAX_STEPS + " weights (got " + steps.size() + ")");
        }
        List<Double> checked = new ArrayList<>(steps.size());
        double previous = 0;
        for (int i = 0; i < steps.size(); i++) {
            Double weight = steps.get(i);
            String item = field + "[" + i + "]";
            Checks.requireNonNull(item, weight);
            Percent.requireValid(item, weight);
            if (weight <= previous) {
                throw KeelException.invalid("'" + field + "' must increase step by step, each above 0 (got " + steps + ")");
            }
            previous = weight;
            checked.add(weight);
        }
        return List.copyOf(checked);
    }

    /** The canary's current share, in percent. */
    public double weight() {
        return steps.get(step);
    }

    public boolean lastStep() {
        return step == steps.size() - 1;
    }

    public Canary atStep(int next) {
        return new Canary(stable, canary, steps, next, analysis);
    }

    @Override
    public String kind() {
        return "canary";
    }

    @Override
    public List<String> variants() {
        return List.of(stable, canary);
    }

    /** The canary's range comes first, so raising its weight only moves sticky keys from stable to canary. */
    @Override
    public Map<String, Double> split() {
        Map<String, Double> split = new LinkedHashMap<>();
        split.put(canary, weight());
        split.put(stable, 100.0 - weight());
        return split;
    }
}
