package dev.keel.cli.demo;

import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Keeps the live traffic line moving on its own thread while the demo does other things
 * (registering a version, starting a rollout), and puts the demo's notes between its frames:
 * {@link Progress} draws from one thread at a time.
 */
final class TrafficDisplay implements AutoCloseable {
    private static final Duration FRAME = Duration.ofMillis(200);

    private final Progress progress;
    private final InferenceTraffic traffic;
    private final Supplier<String> split;
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param split how the endpoint splits its traffic at the moment, for each frame
     */
    TrafficDisplay(Progress progress, InferenceTraffic traffic, Supplier<String> split) {
        this.progress = progress;
        this.traffic = traffic;
        this.split = split;
        this.thread = new Thread(this::draw, "keel-demo-display");
        thread.setDaemon(true);
        thread.start();
    }

    private void draw() {
        while (running) {
            try {
                Thread.sleep(FRAME.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            if (running) {
                frame();
            }
        }
    }

    private void frame() {
        TrafficReading reading = traffic.reading(split.get());
        synchronized (progress) {
            progress.traffic(reading);
        }
    }

    void note(String line) {
        synchronized (progress) {
            progress.note(line);
        }
    }

    /** Stops redrawing after one last frame, so the line shows the end of the traffic, and says so. */
    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        try {
            thread.join(FRAME.toMillis() * 10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        frame();
        InferenceTraffic.Tally tally = traffic.tally();
        note(String.format(Locale.ROOT, "clients stopped after %,d requests (%,d failed)", tally.requests(),
                tally.failures()));
    }
}
