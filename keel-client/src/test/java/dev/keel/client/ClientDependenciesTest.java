package dev.keel.client;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The SDK's own classpath (what a Java program that depends on keel-client gets, plus JUnit)
 * holds no database driver, pool, migration tool, model runtime or HTTP server: each of their
 * entry classes fails to load. ArchitectureTest checks the code; this checks the dependency tree.
 */
class ClientDependenciesTest {

    @ParameterizedTest
    @ValueSource(strings = {"org.sqlite.JDBC", "org.postgresql.Driver", "com.zaxxer.hikari.HikariDataSource",
            "org.flywaydb.core.Flyway", "ai.onnxruntime.OrtEnvironment", "org.tribuo.Model", "io.javalin.Javalin",
            "org.eclipse.jetty.server.Server", "dev.keel.store.Database", "dev.keel.server.KeelPlatform"})
    void the_client_classpath_does_not_hold(String className) {
        assertThatThrownBy(() -> Class.forName(className)).isInstanceOf(ClassNotFoundException.class);
    }
}
