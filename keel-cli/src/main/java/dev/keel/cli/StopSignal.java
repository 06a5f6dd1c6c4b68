package dev.keel.cli;

import java.util.concurrent.CountDownLatch;

/**
 * What {@code keel server} and {@code keel serve} do once they are listening: wait for Ctrl-C or
 * SIGTERM, then stop gracefully. Both signals run shutdown hooks; the hook lets the requests in
 * flight finish and closes what the command opened, and the JVM exits when it returns.
 */
final class StopSignal {
    private StopSignal() {
    }

    /**
     * Says how to stop and blocks until told to; then {@code stop} runs in the hook named
     * {@code thread}, between the {@code stopping} and {@code stopped} lines on stderr.
     */
    static void await(Invocation invocation, String thread, String stopping, String stopped, Runnable stop)
            throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            invocation.err().println(stopping + ": finishing requests in flight...");
            try {
                stop.run();
            } finally {
                invocation.err().println(stopped);
                done.countDown();
            }
        }, thread));
        invocation.out().println("Press Ctrl-C to stop.");
        invocation.out().flush();
        done.await();
    }
}
