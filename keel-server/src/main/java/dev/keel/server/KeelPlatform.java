package dev.keel.server;

import dev.keel.api.Keel;
import dev.keel.api.KeelServices;
import dev.keel.api.approval.ApprovalService;
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
 * The composition root: builds the whole platform from a {@link KeelConfig} (or from parts a
 * caller made) and {@link PlatformOptions} — the metadata database, the artifact store, the
 * clock, the id source and every capability's service — and is the one thing that closes them.
 * Nothing else in Keel wires services together. It is the embedded {@link Keel}.
 */
public final class KeelPlatform implements Keel {
    private final Foundation foundation;
    private final KeelServices services;
    private final AuditTrail auditTrail;
    private final AccessControl access;
    private final Authentication authentication;
    private final ServingParts serving;

    private KeelPlatform(Foundation foundation, PlatformOptions options) {
        Authentication authentication = options.authentication();
        ApprovalPolicy policy = options.policyIn(foundation.home());
        this.foundation = foundation;
        this.authentication = authentication;
        Database database = foundation.database();
        this.auditTrail = AuditTrail.open(database, foundation.key(), foundation.clock(), AuditTrail.DEFAULT_CHECKPOINT_EVERY);
        this.access = AccessControl.open(database, auditTrail, foundation.clock(), authentication.defaultPermission(),
                authentication.required());
        // access control passes everyone while authentication is off, and is the authorizer when it is on
        Authorizer authorizer = authentication.required() ? access : Authorizer.ALLOW_ALL;
        TrackingService tracking = EmbeddedTrackingService.open(database, foundation.artifacts(), foundation.clock(), foundation.ids(),
                auditTrail, authorizer);
        RegistryService registry = EmbeddedRegistryService.open(database, foundation.artifacts(), tracking, foundation.clock(),
                auditTrail, authorizer, policy.gate().resolve(authentication.required()));
        ApprovalService approvals = EmbeddedApprovalService.open(database, registry, tracking, policy, foundation.clock(), auditTrail,
                authorizer);
        this.serving = ServingParts.open(database, foundation.clock(), auditTrail, authorizer, registry,
                // serving reads the registry on its own behalf: the admin exists whenever sign-in is required
                new Actor(authentication.required() ? AccessControl.ADMIN : Actor.LOCAL.name()), foundation.servingCache(),
                foundation.tickRollouts(), options.batching());
        this.services = new KeelServices(tracking, registry, approvals, new EmbeddedAuditService(auditTrail, access),
                access, serving.endpoints());
    }

    /**
     * What the services stand on and who owns it.
     *
     * @param home         where the approval policy file may be (null: none, Keel's default policy)
     * @param ownsDatabase whether {@link #close()} closes the database
     * @param tickRollouts whether a background ticker drives rollouts (only on the real clock)
     */
    private record Foundation(Database database, boolean ownsDatabase, ArtifactStore artifacts, Clock clock, Ids ids,
                              CheckpointKey key, Path home, Path servingCache, boolean tickRollouts,
                              String storeDescription, String artifactsDescription) {
    }

    /** Opens Keel as configured, with the default options: no sign-in, no micro-batching. */
    public static KeelPlatform open(KeelConfig config) {
        return open(config, PlatformOptions.defaults());
    }

    /**
     * Opens Keel as configured: SQLite in {@code config.sqliteFile()} unless a store URL is set
     * (then PostgreSQL or the SQLite file it names), artifacts under {@code config.artifactRoot()},
     * the key that signs audit checkpoints in {@code config.home()/keys} (whichever the store).
     * With authentication required, every service checks the caller's permissions.
     */
    public static KeelPlatform open(KeelConfig config, PlatformOptions options) {
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
            return new KeelPlatform(new Foundation(database, true, new LocalArtifactStore(config.artifactRoot()),
                    Clock.systemUTC(), Ids.secure(), CheckpointKey.openOrCreate(config.home().resolve("keys")),
                    config.home(), config.home().resolve("serving-cache"), true, store,
                    "local directory " + config.artifactRoot().toAbsolutePath()), options);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /**
     * Builds Keel on parts the caller made and keeps owning (tests: a fresh database, a seeded
     * id source, a fixed clock). {@link #close()} leaves them open. Audit checkpoints are signed
     * with a key kept in memory only, the approval policy is the options' or Keel's default, and
     * no background ticker drives rollouts: the caller ticks {@code serving().rollouts()} after
     * moving its clock.
     */
    public static KeelPlatform on(Database database, ArtifactStore artifacts, Clock clock, Ids ids, PlatformOptions options) {
        Path servingCache;
        try {
            servingCache = Files.createTempDirectory("keel-serving-cache");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for the serving cache", e);
        }
        return new KeelPlatform(new Foundation(database, false, artifacts, clock, ids, CheckpointKey.inMemory(), null,
                servingCache, false, database.dialect().name().toLowerCase(java.util.Locale.ROOT) + " (provided)",
                artifacts.getClass().getSimpleName() + " (provided)"), options);
    }

    /**
     * The embedded services: each checks the caller's permissions (when authentication is on)
     * and records its changes in the audit trail, whoever calls — CLI, REST, SDK or UI.
     */
    @Override
    public KeelServices services() {
        return services;
    }

    /** The audit trail every service records its changes in, unchecked: for the server's own use and tests. */
    public AuditTrail auditTrail() {
        return auditTrail;
    }

    /** Users, tokens and permission grants (consulted by the services only when authentication is required). */
    @Override
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
    @Override
    public String location() {
        return foundation.storeDescription();
    }

    /** Where this platform keeps artifacts, for logs and diagnostics. */
    public String artifactsDescription() {
        return foundation.artifactsDescription();
    }

    /** Stops serving and the audit chainer (what it staged is chained first), then closes the database it owns. */
    @Override
    public void close() {
        try {
            serving.close();
            auditTrail.close();
            if (services.tracking() instanceof AutoCloseable closeable) {
                closeable.close();
            }
        } catch (Exception e) {
            throw new IllegalStateException("closing Keel failed: " + e.getMessage(), e);
        } finally {
            if (foundation.ownsDatabase()) {
                foundation.database().close();
            }
        }
    }

    private static String withoutPassword(String jdbcUrl) {
        return jdbcUrl.replaceAll("(?i)(password=)[^&]*", "$1***");
    }
}
