package dev.keel.server;

import dev.keel.core.ArtifactStore;
import dev.keel.core.Ids;
import dev.keel.core.KeelConfig;
import dev.keel.registry.EmbeddedRegistryService;
import dev.keel.registry.RegistryService;
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
    private final String storeDescription;
    private final String artifactsDescription;

    private KeelPlatform(Database database, boolean ownsDatabase, TrackingService tracking, RegistryService registry,
                         String storeDescription, String artifactsDescription) {
        this.database = database;
        this.ownsDatabase = ownsDatabase;
        this.tracking = tracking;
        this.registry = registry;
        this.storeDescription = storeDescription;
        this.artifactsDescription = artifactsDescription;
    }

    /**
     * Opens Keel as configured: SQLite in {@code config.sqliteFile()} unless a store URL is set
     * (then PostgreSQL or the SQLite file it names), artifacts under {@code config.artifactRoot()}.
     */
    public static KeelPlatform open(KeelConfig config) {
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
            TrackingService tracking = EmbeddedTrackingService.open(database, artifacts, clock, Ids.secure());
            RegistryService registry = EmbeddedRegistryService.open(database, artifacts, tracking, clock);
            return new KeelPlatform(database, true, tracking, registry, store,
                    "local directory " + config.artifactRoot().toAbsolutePath());
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /**
     * Builds Keel on parts the caller made and keeps owning (tests: a fresh database, a seeded
     * id source, a fixed clock). {@link #close()} leaves them open.
     */
    public static KeelPlatform of(Database database, ArtifactStore artifacts, Clock clock, Ids ids) {
        TrackingService tracking = EmbeddedTrackingService.open(database, artifacts, clock, ids);
        RegistryService registry = EmbeddedRegistryService.open(database, artifacts, tracking, clock);
        return new KeelPlatform(database, false, tracking, registry, database.dialect().name().toLowerCase(java.util.Locale.ROOT)
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

    /** Which metadata store this platform uses, for logs and diagnostics (never a password). */
    public String storeDescription() {
        return storeDescription;
    }

    /** Where this platform keeps artifacts, for logs and diagnostics. */
    public String artifactsDescription() {
        return artifactsDescription;
    }

    @Override
    public void close() {
        if (tracking instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing the tracking service failed: " + e.getMessage(), e);
            } finally {
                closeOwnDatabase();
            }
        } else {
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
