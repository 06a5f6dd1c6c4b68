package dev.keel.cli;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.keel.core.AuditLog;
import dev.keel.core.Authorizer;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.type;
import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dependency direction of DESIGN §1, checked on the compiled production code of every
 * module (keel-cli's test classpath holds them all): {@code cli → server → registry → tracking →
 * store → core}, the client beside the server, and SQL only where the SQL lives.
 *
 * <p>The rules are {@code @ArchTest} methods rather than fields: Surefire 3.5.3 silently skips
 * {@code @ArchTest} fields (TNG/ArchUnit#1442).
 */
@AnalyzeClasses(packages = "dev.keel", importOptions = ArchitectureTest.ProductionCode.class)
class ArchitectureTest {

    /** Production classes only: no test classes, no test jars (whatever the build directory is called). */
    static final class ProductionCode implements ImportOption {
        @Override
        public boolean includes(Location location) {
            return !location.contains("/test-classes/") && !location.contains("-tests.jar");
        }
    }

    private static ArchRule mayOnlyUse(String packageName, String... allowed) {
        String[] own = new String[allowed.length + 1];
        own[0] = packageName + "..";
        for (int i = 0; i < allowed.length; i++) {
            own[i + 1] = allowed[i] + "..";
        }
        return classes().that().resideInAPackage(packageName + "..")
                .should().onlyDependOnClassesThat(resideOutsideOfPackage("dev.keel..").or(resideInAnyPackage(own)));
    }

    /** Guards against rules that pass because they saw nothing. */
    @ArchTest
    static void the_rules_see_the_production_code_of_every_module(JavaClasses classes) {
        assertThat(List.of("dev.keel.core.KeelConfig", "dev.keel.store.Database", "dev.keel.api.tracking.TrackingService",
                "dev.keel.tracking.sql.JdbcTrackingStore", "dev.keel.api.registry.RegistryService",
                "dev.keel.registry.sql.JdbcModelStore", "dev.keel.governance.audit.AuditTrail",
                "dev.keel.governance.audit.sql.JdbcAuditStore", "dev.keel.governance.access.sql.JdbcGrants",
                "dev.keel.api.Keel", "dev.keel.store.AuditedStore",
                "dev.keel.client.KeelClient", "dev.keel.server.KeelPlatform", "dev.keel.serving.Inference",
                "dev.keel.cli.Main")).allSatisfy(name -> assertThat(classes.contain(name)).as(name).isTrue());
        assertThat(classes.contain("dev.keel.store.TestDatabases")).as("test code is left out").isFalse();
    }

    @ArchTest
    static void core_depends_on_no_other_keel_package(JavaClasses classes) {
        mayOnlyUse("dev.keel.core")
                .because("core holds the values and ports every module shares")
                .check(classes);
    }

    @ArchTest
    static void the_api_depends_only_on_core(JavaClasses classes) {
        mayOnlyUse("dev.keel.api", "dev.keel.core")
                .because("the API is what a caller of Keel needs (interfaces, values, wire records) and nothing that"
                        + " implements it")
                .check(classes);
    }

    @ArchTest
    static void the_api_runs_no_sql(JavaClasses classes) {
        noClasses().that().resideInAPackage("dev.keel.api..")
                .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..")
                .because("the API's values are storage-neutral: the client implements them with no database")
                .check(classes);
    }

    @ArchTest
    static void store_depends_only_on_core(JavaClasses classes) {
        mayOnlyUse("dev.keel.store", "dev.keel.core")
                .because("the store is plumbing that knows no capability: the search grammar, keyset pages, tag rows"
                        + " and the audited write serve every one")
                .check(classes);
    }

    @ArchTest
    static void governance_depends_only_on_core_the_api_and_store(JavaClasses classes) {
        mayOnlyUse("dev.keel.governance", "dev.keel.core", "dev.keel.api", "dev.keel.store")
                .because("the audit trail records every capability's changes through the AuditLog port, knowing none of them")
                .check(classes);
    }

    @ArchTest
    static void tracking_depends_only_on_core_the_api_and_store(JavaClasses classes) {
        mayOnlyUse("dev.keel.tracking", "dev.keel.core", "dev.keel.api", "dev.keel.store")
                .because("a capability module stands on the store, core and the API, never on a transport")
                .check(classes);
    }

    @ArchTest
    static void registry_depends_only_on_core_the_api_and_store(JavaClasses classes) {
        mayOnlyUse("dev.keel.registry", "dev.keel.core", "dev.keel.api", "dev.keel.store")
                .because("a capability module stands on the store, core and the API (other capabilities through their"
                        + " service interfaces), never on a transport")
                .check(classes);
    }

    @ArchTest
    static void serving_depends_only_on_core_the_api_store_and_the_model_inspector(JavaClasses classes) {
        mayOnlyUse("dev.keel.serving", "dev.keel.core", "dev.keel.api", "dev.keel.store", "dev.keel.registry.flavor")
                .because("serving loads models through the registry's service (reading a local directory's flavor with"
                        + " the registry's inspector) and knows no transport")
                .check(classes);
    }

    @ArchTest
    static void serving_uses_the_registry_service_not_its_tables(JavaClasses classes) {
        noClasses().that().resideInAPackage("dev.keel.serving..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.keel.registry.sql..", "dev.keel.tracking.sql..")
                .because("the registry's tables are its own; serving asks its service and verifies what it gets")
                .check(classes);
    }

    @ArchTest
    static void registry_uses_the_tracking_service_not_its_tables(JavaClasses classes) {
        noClasses().that().resideInAPackage("dev.keel.registry..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.keel.tracking.sql..")
                .because("a capability module may use another's service interface, never its tables (DESIGN §1)")
                .check(classes);
    }

    @ArchTest
    static void only_the_sql_package_of_the_registry_runs_sql(JavaClasses classes) {
        noClasses()
                .that().resideInAPackage("dev.keel.registry..").and().resideOutsideOfPackage("dev.keel.registry.sql..")
                .should().dependOnClassesThat(JDBC)
                .because("SQL lives in dev.keel.registry.sql; the service and its values are storage-neutral")
                .check(classes);
    }

    @ArchTest
    static void client_depends_only_on_core_and_the_api(JavaClasses classes) {
        mayOnlyUse("dev.keel.client", "dev.keel.core", "dev.keel.api")
                .because("the SDK speaks HTTP to a server: it has no database, no model runtime and no server inside")
                .check(classes);
    }

    @ArchTest
    static void client_runs_no_sql_no_model_and_no_http_server(JavaClasses classes) {
        noClasses().that().resideInAnyPackage("dev.keel.client..", "dev.keel.api..")
                .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..", "org.sqlite..",
                        "org.postgresql..", "com.zaxxer..", "org.flywaydb..", "ai.onnxruntime..", "org.tribuo..",
                        "io.javalin..", "org.eclipse.jetty..")
                .because("keel-client's dependency tree is keel-api, keel-core and Jackson: a Java program that logs"
                        + " metrics downloads a few megabytes, not a platform")
                .check(classes);
    }

    @ArchTest
    static void server_depends_on_neither_client_nor_cli(JavaClasses classes) {
        noClasses().that().resideInAPackage("dev.keel.server..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.keel.client..", "dev.keel.cli..")
                .because("dependencies point one way: cli → server → capabilities")
                .check(classes);
    }

    @ArchTest
    static void nothing_depends_on_the_cli(JavaClasses classes) {
        noClasses().that().resideOutsideOfPackage("dev.keel.cli..")
                .should().dependOnClassesThat().resideInAPackage("dev.keel.cli..")
                .because("the CLI is the outermost layer")
                .check(classes);
    }

    /** JDBC's working parts: connections, statements, result sets, data sources. */
    private static final DescribedPredicate<JavaClass> JDBC = resideInAnyPackage("java.sql..", "javax.sql..")
            .and(not(type(SQLException.class)))
            .as("JDBC (other than SQLException)");

    @ArchTest
    static void only_the_sql_packages_of_governance_run_sql(JavaClasses classes) {
        noClasses()
                .that().resideInAPackage("dev.keel.governance..").and().resideOutsideOfPackage("dev.keel.governance..sql..")
                .should().dependOnClassesThat(JDBC.and(not(type(Connection.class))))
                .because("SQL lives in dev.keel.governance.access.sql and dev.keel.governance.audit.sql; access control and"
                        + " the audit trail hold the rules and the chain")
                .check(classes);
    }

    @ArchTest
    static void governance_takes_a_connection_only_where_a_core_port_hands_one_over(JavaClasses classes) {
        noClasses()
                .that().resideInAPackage("dev.keel.governance..").and().resideOutsideOfPackage("dev.keel.governance..sql..")
                .and().doNotImplement(AuditLog.class).and().doNotImplement(Authorizer.class)
                .should().dependOnClassesThat(type(Connection.class))
                .because("AuditLog.record and Authorizer.grantCreator/moved hand over the caller's transaction; nothing else"
                        + " outside the sql packages sees a connection")
                .check(classes);
    }

    @ArchTest
    static void governance_works_on_a_connection_only_in_its_sql_packages(JavaClasses classes) {
        noClasses()
                .that().resideInAPackage("dev.keel.governance..").and().resideOutsideOfPackage("dev.keel.governance..sql..")
                .should().accessClassesThat(type(Connection.class))
                .because("a connection handed over by a port goes straight on to the sql package; nothing else works on it")
                .check(classes);
    }

    @ArchTest
    static void only_the_sql_package_of_tracking_runs_sql(JavaClasses classes) {
        noClasses()
                .that().resideInAPackage("dev.keel.tracking..").and().resideOutsideOfPackage("dev.keel.tracking.sql..")
                .should().dependOnClassesThat(JDBC)
                .because("SQL lives in dev.keel.tracking.sql; the service and its values are storage-neutral")
                .check(classes);
    }

    @ArchTest
    static void http_routes_use_services_not_storage(JavaClasses classes) {
        noClasses().that().resideInAPackage("dev.keel.server.http..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.keel.tracking.sql..", "dev.keel.registry.sql..", "dev.keel.store..",
                        "java.sql..", "javax.sql..")
                .because("HTTP is a thin adapter: parse, call one service method, render")
                .check(classes);
    }

    @ArchTest
    static void keel_classes_name_no_managers_or_helpers(JavaClasses classes) {
        classes().that().resideInAPackage("dev.keel..")
                .should().haveSimpleNameNotEndingWith("Manager")
                .andShould().haveSimpleNameNotEndingWith("Helper")
                .andShould().haveSimpleNameNotEndingWith("Util")
                .andShould().haveSimpleNameNotEndingWith("Utils")
                .because("names say what a thing is in the domain's words (DESIGN §7)")
                .check(classes);
    }
}
