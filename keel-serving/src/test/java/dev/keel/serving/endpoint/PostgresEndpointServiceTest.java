package dev.keel.serving.endpoint;

import dev.keel.store.Database;
import dev.keel.store.StoreUrl;
import dev.keel.store.TestDatabases;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The endpoint service on PostgreSQL (skipped without {@code KEEL_TEST_POSTGRES_URL}); each
 * name is a fresh database, dropped at the end, and a restart is a new pool on it.
 */
class PostgresEndpointServiceTest extends EndpointServiceContract {
    private final Map<String, String> databases = new HashMap<>();
    private final Map<String, Database> open = new HashMap<>();

    @Override
    protected Database open(String name) {
        StoreUrl admin = StoreUrl.parse(TestDatabases.postgresUrl());
        String database = "keel_serving_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
                .toLowerCase(Locale.ROOT);
        execute(admin.jdbcUrl(), "CREATE DATABASE " + database);
        databases.put(name, database);
        Database opened = Database.open(admin.withDatabase(database));
        open.put(name, opened);
        return opened;
    }

    @Override
    protected Database reopen(String name) {
        open.remove(name).close();
        Database opened = Database.open(StoreUrl.parse(TestDatabases.postgresUrl()).withDatabase(databases.get(name)));
        open.put(name, opened);
        return opened;
    }

    @Override
    protected void closeAll() {
        open.values().forEach(Database::close);
        open.clear();
        if (databases.isEmpty()) {
            // nothing was created (the test was skipped): asking for the server's URL again would abort the teardown
            return;
        }
        String admin = StoreUrl.parse(TestDatabases.postgresUrl()).jdbcUrl();
        databases.values().forEach(database -> execute(admin, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)"));
        databases.clear();
    }

    private static void execute(String jdbcUrl, String sql) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL refused '" + sql + "': " + e.getMessage(), e);
        }
    }
}
