package dev.keel.store;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * The databases tests run on. SQLite always; PostgreSQL when {@code KEEL_TEST_POSTGRES_URL}
 * names a server (each call makes a fresh database and drops it on close). With
 * {@code KEEL_TEST_REQUIRE_SERVICES=1} a missing server fails the test instead of skipping it.
 */
public final class TestDatabases {
    private TestDatabases() {
    }

    public enum Kind { SQLITE, POSTGRESQL }

    /** A database that removes itself when closed. */
    public record TestDatabase(Database database, Runnable cleanup) implements AutoCloseable {
        @Override
        public void close() {
            database.close();
            cleanup.run();
        }
    }

    public static TestDatabase open(Kind kind, Path tempDir) {
        return kind == Kind.SQLITE ? sqlite(tempDir) : postgres();
    }

    public static TestDatabase sqlite(Path tempDir) {
        return new TestDatabase(Database.sqlite(tempDir.resolve("keel-" + UUID.randomUUID() + ".db")), () -> { });
    }

    /** The admin URL of the test PostgreSQL server, or a skipped (or failed) test. */
    public static String postgresUrl() {
        String url = System.getenv("KEEL_TEST_POSTGRES_URL");
        if (url == null || url.isBlank()) {
            if ("1".equals(System.getenv("KEEL_TEST_REQUIRE_SERVICES"))) {
                throw new IllegalStateException("KEEL_TEST_POSTGRES_URL is not set but KEEL_TEST_REQUIRE_SERVICES=1");
            }
            Assumptions.abort("KEEL_TEST_POSTGRES_URL is not set");
        }
        return url;
    }

    /** A fresh PostgreSQL database, dropped on close. */
    public static TestDatabase postgres() {
        StoreUrl admin = StoreUrl.parse(postgresUrl());
        String name = "keel_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        execute(admin.jdbcUrl(), "CREATE DATABASE " + name);
        Database database = Database.open(admin.withDatabase(name));
        return new TestDatabase(database, () -> execute(admin.jdbcUrl(), "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"));
    }

    private static void execute(String jdbcUrl, String sql) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + jdbcUrl + " refused '" + sql + "': " + e.getMessage(), e);
        }
    }
}
