package dev.keel.server;

import dev.keel.api.registry.RegistryService;
import dev.keel.api.tracking.TrackingService;
import dev.keel.client.KeelClient;
import dev.keel.core.Actor;
import dev.keel.registry.Blobs;
import dev.keel.registry.RegistryContract;
import dev.keel.store.LocalArtifactStore;
import dev.keel.store.TestDatabases.Kind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The registry contract through HTTP: the SDK against a real server on SQLite. The server
 * acts as the contract's actor, as it will act as the authenticated caller once authentication exists.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteSqliteRegistryTest extends RegistryContract {
    private TestServer keel;
    private LocalArtifactStore artifacts;
    private RegistryService registry;
    private TrackingService tracking;

    @BeforeAll
    void start(@TempDir Path dir) {
        keel = TestServer.start(Kind.SQLITE, dir, ServerOptions.defaults().withActor(new Actor("alice")));
        // the server's own store, opened beside it to damage blobs behind the registry's back
        artifacts = new LocalArtifactStore(dir.resolve("artifacts"));
        KeelClient client = KeelClient.connect(keel.server.uri());
        registry = client.registry();
        tracking = client.tracking();
    }

    @AfterAll
    void stop() {
        if (keel != null) {
            keel.close();
        }
    }

    @Override
    protected RegistryService registry() {
        return registry;
    }

    @Override
    protected TrackingService tracking() {
        return tracking;
    }

    @Override
    protected void corruptBlob(String sha256) throws IOException {
        Blobs.corrupt(artifacts, sha256);
    }
}
