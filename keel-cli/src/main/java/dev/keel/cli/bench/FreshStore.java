package dev.keel.cli.bench;

import dev.keel.core.FileTrees;
import dev.keel.core.KeelConfig;
import dev.keel.store.Dialect;
import dev.keel.store.StoreUrl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A store that exists for one benchmark round and is removed after it, so no round measures
 * what an earlier one left behind: a temporary KEEL_HOME (SQLite), and with a PostgreSQL URL a
 * new database on that server, dropped at the end.
 */
record FreshStore(KeelConfig config, Path home, String adminJdbcUrl, String database) implements AutoCloseable {

    static FreshStore create(String storeUrl) throws IOException {
        Path home = Files.createTempDirectory("keel-bench-");
        if (storeUrl == null) {
            return new FreshStore(new KeelConfig(home, null, null, "127.0.0.1", 0), home, null, null);
        }
        StoreUrl admin = StoreUrl.parse(storeUrl);
        if (admin.dialect() != Dialect.POSTGRESQL) {
            throw new IllegalArgumentException("'--store' must be a PostgreSQL URL (SQLite is the default)");
        }
        String database = "keel_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute(admin.jdbcUrl(), "CREATE DATABASE " + database);
        String url = admin.withDatabase(database).jdbcUrl();
        return new FreshStore(new KeelConfig(home, url, null, "127.0.0.1", 0), home, admin.jdbcUrl(), database);
    }

    @Override
    public void close() throws IOException {
        if (database != null) {
            execute(adminJdbcUrl, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
        FileTrees.delete(home);
    }

    private static void execute(String jdbcUrl, String sql) throws IOException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IOException("PostgreSQL refused '" + sql + "': " + e.getMessage(), e);
        }
    }
}
