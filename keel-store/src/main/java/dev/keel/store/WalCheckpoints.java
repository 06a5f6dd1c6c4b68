package dev.keel.store;

import dev.keel.core.Periodic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
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

    private final Periodic checkpoints;

    WalCheckpoints(DataSource pool, String name, long periodMillis) {
        checkpoints = Periodic.every(Duration.ofMillis(periodMillis), name + "-checkpoints", () -> checkpoint(pool));
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
        checkpoints.close();
    }
}
