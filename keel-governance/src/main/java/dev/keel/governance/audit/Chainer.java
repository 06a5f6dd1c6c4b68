package dev.keel.governance.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.LongSupplier;

/**
 * Chains staged audit events shortly after their transactions commit, on one background thread
 * per trail. An append nudges it from inside its transaction, before the commit, so the thread
 * cannot know when the event becomes visible: it chains every {@link #PAUSE_MILLIS} ms while
 * nudges keep coming and ends once they have stopped for half a second. An event whose transaction
 * commits even later stays staged until the next append or read, which chains it.
 *
 * <p>Why a pause between passes: each pass is one transaction with its own commit, so chaining
 * a batch of events per pass keeps the chainer's share of the database's commits (and WAL
 * flushes) small next to the writers' own; reads never wait for it, they chain first.
 */
final class Chainer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Chainer.class);
    static final long PAUSE_MILLIS = 50;
    private static final long LINGER_NANOS = 500_000_000L;

    private final LongSupplier chain;
    private final String name;
    private Thread thread;
    private boolean closed;
    private long lastNudge;

    /** {@code chain} chains whatever is staged and returns how many events it chained. */
    Chainer(LongSupplier chain, String name) {
        this.chain = chain;
        this.name = name;
    }

    /** An event was staged; chain it soon. */
    synchronized void nudge() {
        lastNudge = System.nanoTime();
        if (thread == null && !closed) {
            thread = new Thread(this::run, name);
            thread.setDaemon(true);
            thread.start();
        }
    }

    private void run() {
        boolean failing = false;
        while (true) {
            try {
                Thread.sleep(PAUSE_MILLIS);
            } catch (InterruptedException e) {
                return; // closed
            }
            try {
                chain.getAsLong();
                failing = false;
            } catch (RuntimeException e) {
                if (!failing) {
                    log.warn("could not chain staged audit events; they stay staged for the next pass", e);
                }
                failing = true;
            }
            synchronized (this) {
                if (closed || System.nanoTime() - lastNudge > LINGER_NANOS) {
                    thread = null;
                    return;
                }
            }
        }
    }

    /** Stops chaining in the background (what is staged stays staged) and waits for a pass under way. */
    @Override
    public void close() {
        Thread running;
        synchronized (this) {
            closed = true;
            running = thread;
        }
        if (running != null) {
            running.interrupt();
            try {
                running.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
