package dev.keel.cli.demo;

import dev.keel.api.Keel;
import dev.keel.client.KeelClient;
import dev.keel.server.KeelPlatform;
import dev.keel.server.KeelServer;

import java.net.URI;

/**
 * Where the demo reaches Keel over real HTTP — MLflow's REST routes for one of its runs, the
 * inference routes for its traffic: the server named by {@code KEEL_URL}, or — for an embedded
 * session — a server on the demo's own platform, started on a free loopback port for the demo's
 * duration.
 */
record DemoServer(URI url, KeelServer ownServer) implements AutoCloseable {

    static DemoServer of(Keel session) {
        if (session instanceof KeelClient remote) {
            return new DemoServer(remote.baseUrl(), null);
        }
        KeelServer server = KeelServer.start((KeelPlatform) session, "127.0.0.1", 0);
        return new DemoServer(server.uri(), server);
    }

    RunLog mlflowRunLog() {
        return new MlflowRestRunLog(url);
    }

    @Override
    public void close() {
        if (ownServer != null) {
            ownServer.close();
        }
    }
}
