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

/**
 * The metadata database: a connection pool, its dialect, transactions and per-module migrations.
 *
 * <p>On SQLite, writes go through one writer thread ({@link GroupCommit}) rather than being left
 * to SQLite's busy handler: writers queue in order instead of sleeping and retrying, and those
 * that wait together commit together. Reads run concurrently (WAL mode).
 */
public final class Database implements AutoCloseable {
    private final Dialect dialect;
    private final HikariDataSource pool;
    private final GroupCommit writer;
    private final WalCheckpoints checkpoints;

    private Database(Dialect dialect, HikariDataSource pool) {
        this.dialect = dialect;
        this.pool = pool;
        this.writer = dialect.singleWriter() ? new GroupCommit(pool, pool.getPoolName()) : null;
        this.checkpoints = dialect == Dialect.SQLITE ? new WalCheckpoints(pool, pool.getPoolName(), 500) : null;
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
            config.setConnectionInitSql(WalCheckpoints.DISABLE_AUTOCHECKPOINT);
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
     * table, so each capability owns its schema. One script serves both databases; the
     * placeholder {@code ${without_rowid}} is SQLite's clustered-table clause, empty on PostgreSQL.
     */
    public void migrate(String module) {
        Flyway.configure()
                .dataSource(pool)
                .locations("classpath:db/" + module)
                .table("keel_schema_history_" + module)
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .placeholders(java.util.Map.of("without_rowid", dialect == Dialect.SQLITE ? "WITHOUT ROWID" : ""))
                .load()
                .migrate();
    }

    /** Runs {@code work} in one transaction: all of it is committed, or none of it. */
    public <T> T inTransaction(SqlWork<T> work) {
        try {
            return writer != null ? writer.run(work) : transaction(work);
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    private <T> T transaction(SqlWork<T> work) throws SQLException {
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
        if (writer != null) {
            writer.close();
        }
        if (checkpoints != null) {
            checkpoints.close();
        }
        pool.close();
    }
}
