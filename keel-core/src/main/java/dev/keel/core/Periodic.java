package dev.keel.core;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A task run every period, the first time one period from now, on a daemon thread of its own
 * (so it never keeps the JVM alive) until closed. A run that throws ends the schedule, as
 * {@link ScheduledExecutorService} does: a task that must outlive its failures catches them.
 */
public final class Periodic implements AutoCloseable {
    private final ScheduledExecutorService timer;

    private Periodic(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /** Runs {@code task} every {@code period} (10 ms at the least) on a thread named {@code threadName}. */
    public static Periodic every(Duration period, String threadName, Runnable task) {
        Checks.requireNonNull("period", period);
        Checks.requireNonNull("task", task);
        long millis = Math.max(10, period.toMillis());
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(task, millis, millis, TimeUnit.MILLISECONDS);
        return new Periodic(timer);
    }

    /** Stops the schedule, interrupting a run in progress, and waits up to 10 s for it to end. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
