package dev.keel.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import org.flywaydb.core.Flyway;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The metadata database: a connection pool, its dialect, transactions and per-module migrations.
 *
 * <p>On SQLite, writes are serialized here with a fair lock rather than left to SQLite's busy
 * handler: waiting threads queue in order instead of sleeping and retrying, which keeps the tail
 * latency of concurrent writers low. Reads run concurrently (WAL mode).
 */
public final class Database implements AutoCloseable {
    private final Dialect dialect;
    private final HikariDataSource pool;
    private final ReentrantLock writeLock = new ReentrantLock(true);

    private Database(Dialect dialect, HikariDataSource pool) {
        this.dialect = dialect;
        this.pool = pool;
    }

    /** An embedded SQLite database in the given file (created with its directory). */
    public static Database sqlite(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new KeelException(ErrorCode.INTERNAL_ERROR, "cannot create directory for " + file + ": " + e.getMessage(), e);
        }
        return open(new StoreUrl(Dialect.SQLITE, "jdbc:sqlite:" + file.toAbsolutePath()));
    }

    public static Database open(StoreUrl url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url.jdbcUrl());
        config.setPoolName("keel-" + url.dialect().name().toLowerCase());
        if (url.dialect() == Dialect.SQLITE) {
            config.addDataSourceProperty("journal_mode", "WAL");
            config.addDataSourceProperty("synchronous", "NORMAL");
            config.addDataSourceProperty("busy_timeout", "30000");
            config.addDataSourceProperty("foreign_keys", "true");
            config.addDataSourceProperty("cache_size", "-65536");
            config.setMaximumPoolSize(8);
        } else {
            config.setMaximumPoolSize(16);
            config.addDataSourceProperty("reWriteBatchedInserts", "true");
        }
        config.setMinimumIdle(1);
        try {
            return new Database(url.dialect(), new HikariDataSource(config));
        } catch (RuntimeException e) {
            throw new KeelException(ErrorCode.TEMPORARILY_UNAVAILABLE,
                    "cannot open the " + url.dialect().name().toLowerCase() + " store: " + rootMessage(e), e);
        }
    }

    public Dialect dialect() {
        return dialect;
    }

    public DataSource dataSource() {
        return pool;
    }

    /**
     * Applies a module's migrations from {@code classpath:db/<module>}, with its own history
     * table, so each capability owns its schema.
     */
    public void migrate(String module) {
        Flyway.configure()
                .dataSource(pool)
                .locations("classpath:db/" + module)
                .table("keel_schema_history_" + module)
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
    }

    /** Runs {@code work} in one transaction: all of it is committed, or none of it. */
    public <T> T inTransaction(SqlWork<T> work) {
        if (dialect.singleWriter()) {
            writeLock.lock();
        }
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (Throwable e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw translate(e);
        } finally {
            if (dialect.singleWriter()) {
                writeLock.unlock();
            }
        }
    }

    /** Runs read-only {@code work} on a pooled connection in auto-commit mode. */
    public <T> T read(SqlWork<T> work) {
        try (Connection connection = pool.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    private static KeelException translate(SQLException e) {
        return new KeelException(ErrorCode.INTERNAL_ERROR, "database error: " + e.getMessage(), e);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    @Override
    public void close() {
        pool.close();
    }
}
