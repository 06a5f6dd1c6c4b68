package dev.keel.serving.runtime;

import dev.keel.api.Tag;
import dev.keel.api.registry.ModelVersion;
import dev.keel.api.registry.NewRegisteredModel;
import dev.keel.api.registry.RegistryService;
import dev.keel.core.Actor;
import dev.keel.core.Ids;
import dev.keel.core.KeelException;
import dev.keel.registry.EmbeddedRegistryService;
import dev.keel.store.LocalArtifactStore;
import dev.keel.store.TestDatabases;
import dev.keel.tracking.EmbeddedTrackingService;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Random;

/** A real embedded registry on a fresh SQLite database, with its artifact store, for one test class. */
public final class TestRegistry implements AutoCloseable {
    public static final Actor ALICE = new Actor("alice");

    public final Path dir;
    public final LocalArtifactStore artifacts;
    public final RegistryService registry;
    private final TestDatabases.TestDatabase database;

    public TestRegistry(Path dir) {
        this.dir = dir;
        this.database = TestDatabases.sqlite(dir);
        this.artifacts = new LocalArtifactStore(dir.resolve("artifacts"));
        EmbeddedTrackingService tracking = EmbeddedTrackingService.open(database.database(), artifacts,
                Clock.systemUTC(), new Ids(new Random(11)));
        this.registry = EmbeddedRegistryService.open(database.database(), artifacts, tracking, Clock.systemUTC());
    }

    /** Registers {@code name} (if new) and its next version from {@code directory}. */
    public ModelVersion register(String name, Path directory, Tag... tags) {
        try {
            registry.getRegisteredModel(ALICE, name);
        } catch (KeelException e) {
            registry.createRegisteredModel(ALICE, NewRegisteredModel.named(name));
        }
        return registry.createModelVersionFromDirectory(ALICE, name, directory, null, List.of(tags));
    }

    /** A loader over this registry, caching files under {@code cache}. */
    public ModelLoader loader(Path cache) {
        return new ModelLoader(registry, ALICE, cache);
    }

    @Override
    public void close() {
        database.close();
    }
}
