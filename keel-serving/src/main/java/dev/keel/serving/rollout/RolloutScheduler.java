package dev.keel.serving.rollout;

import dev.keel.core.Checks;
import dev.keel.core.Periodic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Ticks a {@link RolloutController} every {@code period} on a daemon thread. The period bounds
 * how long a breach waits to be seen: rollback within a period of the analysis having the
 * evidence, plus one write. Each tick first runs {@code beforeTick} — the platform resyncs its
 * router with endpoints other servers on the same database changed, so a rollout another server
 * advanced is routed here within a period too.
 */
public final class RolloutScheduler implements AutoCloseable {
    public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(1);
    private static final Logger log = LoggerFactory.getLogger(RolloutScheduler.class);

    private final Periodic ticks;

    public RolloutScheduler(RolloutController controller, Duration period) {
        this(() -> { }, controller, period);
    }

    public RolloutScheduler(Runnable beforeTick, RolloutController controller, Duration period) {
        Checks.requireNonNull("before_tick", beforeTick);
        ticks = Periodic.every(period, "keel-rollouts", () -> {
            try {
                beforeTick.run();
                controller.tick();
            } catch (RuntimeException e) {
                // a failed tick must not cancel the schedule: the next one tries again
                log.warn("rollout tick failed: {}", e.getMessage(), e);
            }
        });
    }

    @Override
    public void close() {
        ticks.close();
    }
}
