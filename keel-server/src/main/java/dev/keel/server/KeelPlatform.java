package dev.keel.server;

import dev.keel.core.ArtifactStore;
import dev.keel.core.Authorizer;
import dev.keel.core.Ids;
import dev.keel.core.KeelConfig;
import dev.keel.governance.access.AccessControl;
import dev.keel.governance.audit.AuditTrail;
import dev.keel.governance.audit.CheckpointKey;
import dev.keel.registry.EmbeddedRegistryService;
import dev.keel.registry.RegistryService;
import dev.keel.registry.approval.ApprovalPolicy;
import dev.keel.registry.approval.ApprovalService;
import dev.keel.registry.approval.EmbeddedApprovalService;
import dev.keel.store.Database;
import dev.keel.store.LocalArtifactStore;
import dev.keel.store.StoreUrl;
import dev.keel.tracking.EmbeddedTrackingService;
import dev.keel.tracking.TrackingService;

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
    private final AccessControl access;
    private final Authentication authentication;
    private final String storeDescription;
    private final String artifactsDescription;

    private KeelPlatform(Database database, boolean ownsDatabase, TrackingService tracking, RegistryService registry,
                         ApprovalService approvals, AuditTrail audit, AccessControl access, Authentication authentication,
                         String storeDescription, String artifactsDescription) {
        this.database = database;
        this.ownsDatabase = ownsDatabase;
        this.tracking = tracking;
        this.registry = registry;
        this.approvals = approvals;
        this.audit = audit;
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

    /** As above; with authentication required, every service checks the caller's permissions. */
    public static KeelPlatform open(KeelConfig config, Authentication authentication) {
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
            ArtifactStore artifacts = new LocalArtifactStore(config.artifactRoot());
            Clock clock = Clock.systemUTC();
            AuditTrail audit = AuditTrail.open(database, CheckpointKey.openOrCreate(config.home().resolve("keys")), clock,
                    AuditTrail.DEFAULT_CHECKPOINT_EVERY);
            AccessControl access = AccessControl.open(database, audit, clock, authentication.defaultPermission(),
                authentication.required());
            Authorizer authorizer = authentication.required() ? access : Authorizer.ALLOW_ALL;
            TrackingService tracking = EmbeddedTrackingService.open(database, artifacts, clock, Ids.secure(), audit, authorizer);
            // a policy file in KEEL_HOME is checked now, so a mistake in it stops the start-up
            ApprovalPolicy policy = ApprovalPolicy.inHome(config.home());
            RegistryService registry = EmbeddedRegistryService.open(database, artifacts, tracking, clock, audit, authorizer,
                    policy.gate());
            ApprovalService approvals = EmbeddedApprovalService.open(database, registry, tracking, policy, clock, audit,
                    authorizer);
            return new KeelPlatform(database, true, tracking, registry, approvals, audit, access, authentication, store,
                    "local directory " + config.artifactRoot().toAbsolutePath());
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /**
     * Builds Keel on parts the caller made and keeps owning (tests: a fresh database, a seeded
     * id source, a fixed clock). {@link #close()} leaves them open. Audit checkpoints are signed
     * with a key kept in memory only.
     */
    public static KeelPlatform of(Database database, ArtifactStore artifacts, Clock clock, Ids ids) {
        return of(database, artifacts, clock, ids, Authentication.OFF);
    }

    public static KeelPlatform of(Database database, ArtifactStore artifacts, Clock clock, Ids ids,
                                  Authentication authentication) {
        AuditTrail audit = AuditTrail.open(database, CheckpointKey.inMemory(), clock, AuditTrail.DEFAULT_CHECKPOINT_EVERY);
        AccessControl access = AccessControl.open(database, audit, clock, authentication.defaultPermission(),
                authentication.required());
        Authorizer authorizer = authentication.required() ? access : Authorizer.ALLOW_ALL;
        TrackingService tracking = EmbeddedTrackingService.open(database, artifacts, clock, ids, audit, authorizer);
        RegistryService registry = EmbeddedRegistryService.open(database, artifacts, tracking, clock, audit, authorizer);
        ApprovalService approvals = EmbeddedApprovalService.open(database, registry, tracking, ApprovalPolicy.defaults(),
                clock, audit, authorizer);
        return new KeelPlatform(database, false, tracking, registry, approvals, audit, access, authentication, database.dialect().name().toLowerCase(java.util.Locale.ROOT)
                + " (provided)", artifacts.getClass().getSimpleName() + " (provided)");
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

    /** Users, tokens and permission grants (consulted by the services only when authentication is required). */
    public AccessControl access() {
        return access;
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
