package dev.keel.api.serving;

import java.time.Instant;

/**
 * One entry in a rollout's history.
 *
 * @param kind         started, advanced, inconclusive, paused, resumed, promoted, completed, aborted, rolled_back
 * @param canaryWeight the canary's share after the event, in percent
 */
public record RolloutEvent(Instant at, String actor, String kind, double canaryWeight, String detail) {
}
