package dev.keel.api.serving;

import dev.keel.core.Checks;

import java.util.List;

/**
 * Starts a canary rollout on an endpoint that serves one variant (single, or the active side of
 * blue-green), which becomes the stable side. The canary variant is added when the endpoint does
 * not have it yet; if it has a variant of that name, it must serve the same model.
 *
 * @param steps the canary's share at each step, in percent, strictly increasing
 */
public record CanaryStart(Variant canary, List<Double> steps, CanaryAnalysis analysis) {
    public CanaryStart {
        Checks.requireNonNull("canary", canary);
        steps = Canary.requireValidSteps("steps", steps);
        Checks.requireNonNull("analysis", analysis);
    }
}
