package dev.keel.cli;

import dev.keel.store.Dialect;
import dev.keel.store.StoreUrl;
import dev.keel.store.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import static dev.keel.cli.CommandLineRun.keel;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code KEEL_STORE} puts the embedded CLI on PostgreSQL (runs when KEEL_TEST_POSTGRES_URL is set). */
class PostgresCommandLineTest {
    @TempDir
    Path home;

    private String adminJdbcUrl;
    private String database;

    @BeforeEach
    void createDatabase() throws SQLException {
        adminJdbcUrl = StoreUrl.parse(TestDatabases.postgresUrl()).jdbcUrl();
        database = "keel_cli_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        execute("CREATE DATABASE " + database);
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        if (adminJdbcUrl == null) {
            // skipped before anything was created (no KEEL_TEST_POSTGRES_URL)
            return;
        }
        execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(adminJdbcUrl);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    @Test
    void keel_store_puts_experiments_and_runs_on_postgresql() {
        Map<String, String> env = Map.of("KEEL_HOME", home.toString(),
                "KEEL_STORE", new StoreUrl(Dialect.POSTGRESQL, adminJdbcUrl).withDatabase(database).jdbcUrl());

        CommandLineRun demo = keel(env, "demo", "--rows", "300", "--models", "1");
        CommandLineRun search = keel(env, "runs", "search", "--filter", "metrics.auc > 0", "--json");

        assertThat(demo.exitCode()).as(demo.toString()).isZero();
        assertThat(demo.err()).contains("postgresql");
        assertThat(search.json()).hasSize(1);
        assertThat(home.resolve("keel.db")).doesNotExist();
    }
}
