package dev.keel.server;

import dev.keel.api.tracking.TrackingService;
import dev.keel.core.Actor;
import dev.keel.store.TestDatabases.Kind;
import dev.keel.tracking.TrackingContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * The tracking contract through HTTP: the SDK against a real server on SQLite. The server acts
 * as the contract's actor, as it will act as the authenticated caller once authentication exists.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteSqliteTrackingTest extends TrackingContract {
    private TestServer keel;
    private TrackingService remote;

    @BeforeAll
    void start(@TempDir Path dir) {
        keel = TestServer.start(Kind.SQLITE, dir, ServerOptions.defaults().withActor(new Actor("alice")));
        remote = keel.remote();
    }

    @AfterAll
    void stop() {
        if (keel != null) {
            keel.close();
        }
    }

    @Override
    protected TrackingService tracking() {
        return remote;
    }
}
