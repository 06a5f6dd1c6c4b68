package dev.keel.server;

import dev.keel.api.approval.ApprovalService;
import dev.keel.api.audit.AuditService;
import dev.keel.api.registry.RegistryService;
import dev.keel.api.tracking.TrackingService;
import dev.keel.core.Actor;
import dev.keel.core.ArtifactStore;
import dev.keel.core.Authorizer;
import dev.keel.core.Ids;
import dev.keel.core.KeelConfig;
import dev.keel.governance.access.AccessControl;
import dev.keel.governance.audit.AuditTrail;
import dev.keel.governance.audit.CheckpointKey;
import dev.keel.governance.audit.EmbeddedAuditService;
import dev.keel.registry.EmbeddedRegistryService;
import dev.keel.registry.approval.ApprovalPolicy;
import dev.keel.registry.approval.EmbeddedApprovalService;
import dev.keel.serving.batching.BatchingOptions;
import dev.keel.store.Database;
import dev.keel.store.LocalArtifactStore;
import dev.keel.store.StoreUrl;
import dev.keel.tracking.EmbeddedTrackingService;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The composition root: builds the whole platform from a {@link KeelConfig} — the metadata
 * database, the artifact store, the clock, the id source and every capability's service — and
 * is the one thing that closes them. Nothing else in Keel wires services together.
 */
public final class KeelPlatform implements AutoCloseable {
    private final Database database;
    private final boolean ownsDatabase;
    private final TrackingService tracking;
    private final RegistryService registry;
    private final ApprovalService approvals;
    private final AuditTrail audit;
    private final AuditService auditService;
    private final AccessControl access;
    private final Authentication authentication;
    private final ServingParts serving;
    private final String storeDescription;
    private final String artifactsDescription;

    private KeelPlatform(Database database, boolean ownsDatabase, TrackingService tracking, RegistryService registry,
                         ApprovalService approvals, AuditTrail audit, AccessControl access, Authentication authentication,
                         ServingParts serving, String storeDescription, String artifactsDescription) {
        this.serving = serving;
        this.database = database;
        this.ownsDatabase = ownsDatabase;
        this.tracking = tracking;
        this.registry = registry;
        this.approvals = approvals;
        this.audit = audit;
        // access control passes everyone while authentication is off, and is the authorizer when it is on
        this.auditService = new EmbeddedAuditService(audit, access);
        this.access = access;
        this.authentication = authentication;
        this.storeDescription = storeDescription;
        this.artifactsDescription = artifactsDescription;
    }

    /**
     * Opens Keel as configured: SQLite in {@code config.sqliteFile()} unless a store URL is set
     * (then PostgreSQL or the SQLite file it names), artifacts under {@code config.artifactRoot()},
     * the key that signs audit checkpoints in {@code config.home()/keys} (whichever the store).
     */
    public static KeelPlatform open(KeelConfig config) {
        return open(config, Authentication.OFF);
    }

    /**
     * As above; with authentication required, every service checks the caller's permissions. The
     * approval policy is {@code KEEL_HOME/approval-policy.yaml}, or Keel's default without one.
     */
    public static KeelPlatform open(KeelConfig config, Authentication authentication) {
        return open(config, authentication, BatchingOptions.OFF);
    }

    /**
     * As above, with {@code batching} the micro-batching of every model version whose tags do not
     * choose their own ({@code keel server --batch-size --batch-delay}).
     */
    public static KeelPlatform open(KeelConfig config, Authentication authentication, BatchingOptions batching) {
        // a policy file in KEEL_HOME is checked now, so a mistake in it stops the start-up
        return open(config, authentication, ApprovalPolicy.inHome(config.home()), batching);
    }

    /**
     * As above with {@code policy} in place of KEEL_HOME's (the demo brings its own). Its gate's
     * 'auto' becomes on when authentication is required and off otherwise.
     */
    public static KeelPlatform open(KeelConfig config, Authentication authentication, ApprovalPolicy policy) {
        return open(config, authentication, policy, BatchingOptions.OFF);
    }

    /** As above, with {@code batching} the default micro-batching of every model version. */
    public static KeelPlatform open(KeelConfig config, Authentication authentication, ApprovalPolicy policy,
                                    BatchingOptions batching) {
        String store;
        Database database;
        if (config.storeUrl() == null) {
            database = Database.sqlite(config.sqliteFile());
            store = "sqlite at " + config.sqliteFile().toAbsolutePath();
        } else {
            StoreUrl url = StoreUrl.parse(config.storeUrl());
            database = Database.open(url);
            store = url.dialect().name().toLowerCase(java.util.Locale.ROOT) + " at " + withoutPassword(url.jdbcUrl());
        }
        try {
            return assemble(database, true, new LocalArtifactStore(config.artifactRoot()), Clock.systemUTC(), Ids.secure(),
                    CheckpointKey.openOrCreate(config.home().resolve("keys")), authentication, policy,
                    config.home().resolve("serving-cache"), true, store,
                    "local directory " + config.artifactRoot().toAbsolutePath(), batching);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /**
     * Builds Keel on parts the caller made and keeps owning (tests: a fresh database, a seeded
     * id source, a fixed clock). {@link #close()} leaves them open. Audit checkpoints are signed
     * with a key kept in memory only, and no background ticker drives rollouts: the caller ticks
     * {@code serving().rollouts()} after moving its clock.
     */
    public static KeelPlatform of(Database database, ArtifactStore artifacts, Clock clock, Ids ids) {
        return of(database, artifacts, clock, ids, Authentication.OFF);
    }

    /** As above; Keel's default approval policy, its gate on exactly when authentication is required. */
    public static KeelPlatform of(Database database, ArtifactStore artifacts, Clock clock, Ids ids,
                                  Authentication authentication) {
        return of(database, artifacts, clock, ids, authentication, ApprovalPolicy.defaults());
    }

    /** As above with {@code policy} (tests: a gate turned off, or checks of their own). */
    public static KeelPlatform of(Database database, ArtifactStore artifacts, Clock clock, Ids ids,
                                  Authentication authentication, ApprovalPolicy policy) {
        Path servingCache;
        try {
            servingCache = Files.createTempDirectory("keel-serving-cache");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for the serving cache", e);
        }
        return assemble(database, false, artifacts, clock, ids, CheckpointKey.inMemory(), authentication, policy,
                servingCache, false, database.dialect().name().toLowerCase(java.util.Locale.ROOT) + " (provided)",
                artifacts.getClass().getSimpleName() + " (provided)", BatchingOptions.OFF);
    }

    /** Every service on one database, each given what it needs; the one place they are wired together. */
    private static KeelPlatform assemble(Database database, boolean ownsDatabase, ArtifactStore artifacts, Clock clock,
                                         Ids ids, CheckpointKey key, Authentication authentication,
                                         ApprovalPolicy policy, Path servingCache, boolean tickRollouts, String store,
                                         String artifactsAt, BatchingOptions batching) {
        AuditTrail audit = AuditTrail.open(database, key, clock, AuditTrail.DEFAULT_CHECKPOINT_EVERY);
        AccessControl access = AccessControl.open(database, audit, clock, authentication.defaultPermission(),
                authentication.required());
        Authorizer authorizer = authentication.required() ? access : Authorizer.ALLOW_ALL;
        TrackingService tracking = EmbeddedTrackingService.open(database, artifacts, clock, ids, audit, authorizer);
        RegistryService registry = EmbeddedRegistryService.open(database, artifacts, tracking, clock, audit, authorizer,
                policy.gate().resolve(authentication.required()));
        ApprovalService approvals = EmbeddedApprovalService.open(database, registry, tracking, policy, clock, audit,
                authorizer);
        ServingParts serving = ServingParts.open(database, clock, audit, authorizer, registry,
                // serving reads the registry on its own behalf: the admin exists whenever sign-in is required
                new Actor(authentication.required() ? AccessControl.ADMIN : Actor.LOCAL.name()), servingCache, tickRollouts,
                batching);
        return new KeelPlatform(database, ownsDatabase, tracking, registry, approvals, audit, access, authentication,
                serving, store, artifactsAt);
    }

    public static KeelPlatform of(Database database, ArtifactStore artifacts, Clock clock) {
        return of(database, artifacts, clock, Ids.secure());
    }

    public TrackingService tracking() {
        return tracking;
    }

    public RegistryService registry() {
        return registry;
    }

    /** Approval requests and decisions for stage changes and protected aliases. */
    public ApprovalService approvals() {
        return approvals;
    }

    /** The audit trail every service records its changes in: to verify, read and export it. */
    public AuditTrail audit() {
        return audit;
    }

    /**
     * The audit trail as its readers reach it (CLI, REST, SDK): with authentication on, only
     * admins and approvers (auditors) may verify, read, export or checkpoint it.
     */
    public AuditService auditService() {
        return auditService;
    }

    /** Users, tokens and permission grants (consulted by the services only when authentication is required). */
    public AccessControl access() {
        return access;
    }

    /** Endpoints, their routing and rollouts, the loaded models and the serving path. */
    public ServingParts serving() {
        return serving;
    }

    public Authentication authentication() {
        return authentication;
    }

    /** Which metadata store this platform uses, for logs and diagnostics (never a password). */
    public String storeDescription() {
        return storeDescription;
    }

    /** Where this platform keeps artifacts, for logs and diagnostics. */
    public String artifactsDescription() {
        return artifactsDescription;
    }

    /** Stops the audit chainer (what it staged is chained first), then closes the database it owns. */
    @Override
    public void close() {
        try {
            serving.close();
            audit.close();
            if (tracking instanceof AutoCloseable closeable) {
                closeable.close();
            }
        } catch (Exception e) {
            throw new IllegalStateException("closing Keel failed: " + e.getMessage(), e);
        } finally {
            closeOwnDatabase();
        }
    }

    private void closeOwnDatabase() {
        if (ownsDatabase) {
            database.close();
        }
    }

    private static String withoutPassword(String jdbcUrl) {
        return jdbcUrl.replaceAll("(?i)(password=)[^&]*", "$1***");
    }
}
