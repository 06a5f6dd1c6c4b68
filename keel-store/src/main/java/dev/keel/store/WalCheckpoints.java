package dev.keel.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * Moves SQLite's write-ahead log into the database file from a background thread.
 *
 * <p>Why: by default the commit that fills the log past 1000 pages runs the checkpoint itself,
 * fsync included, while holding the write lock, so every writer queued behind it waits tens of
 * milliseconds. Here the connections never checkpoint on commit ({@code wal_autocheckpoint=0});
 * this thread runs a PASSIVE checkpoint every so often instead, which never blocks writers or
 * readers.
 */
final class WalCheckpoints implements AutoCloseable {
    static final String DISABLE_AUTOCHECKPOINT = "PRAGMA wal_autocheckpoint=0";
    private static final Logger log = LoggerFactory.getLogger(WalCheckpoints.class);

    private final ScheduledExecutorService timer;

    WalCheckpoints(DataSource pool, String name, long periodMillis) {
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, name + "-checkpoints");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(() -> checkpoint(pool), periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    private static void checkpoint(DataSource pool) {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA wal_checkpoint(PASSIVE)");
        } catch (SQLException | RuntimeException e) {
            log.warn("WAL checkpoint failed (it is retried): {}", e.getMessage());
        }
    }

    /** Stops checkpointing; the last connection to close checkpoints the rest, as SQLite always does. */
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
