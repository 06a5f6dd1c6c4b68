package dev.keel.cli.demo;

import dev.keel.cli.KeelSession;
import dev.keel.server.KeelServer;

import java.net.URI;

/**
 * Where the demo reaches Keel's MLflow routes: the server named by {@code KEEL_URL}, or — for
 * an embedded session — a server started on a free loopback port for the demo's duration.
 */
record MlflowEndpoint(URI url, KeelServer ownServer) implements AutoCloseable {

    static MlflowEndpoint of(KeelSession session) {
        if (session instanceof KeelSession.Remote remote) {
            return new MlflowEndpoint(remote.url(), null);
        }
        KeelServer server = KeelServer.start(((KeelSession.Embedded) session).platform(), "127.0.0.1", 0);
        return new MlflowEndpoint(server.uri(), server);
    }

    RunLog runLog() {
        return new MlflowRestRunLog(url);
    }

    @Override
    public void close() {
        if (ownServer != null) {
            ownServer.close();
        }
    }
}
