package dev.keel.serving.endpoint;

import dev.keel.api.serving.Endpoint;
import dev.keel.api.serving.Variant;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import dev.keel.serving.endpoint.sql.JdbcEndpointStore;

import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The rules every endpoint and rollout change shares in its transaction: what must exist, the
 * version check that refuses the second of two concurrent changes (409), the refusals' words,
 * and the audit resource's path.
 */
final class StoredEndpoints {
    private StoredEndpoints() {
    }

    static Endpoint existing(JdbcEndpointStore store, String name) throws SQLException {
        return store.endpoint(name).orElseThrow(() -> notFound(name));
    }

    /** The endpoint as stored, refused (409) unless it is still at {@code expectedVersion}. */
    static Endpoint current(JdbcEndpointStore store, String name, long expectedVersion) throws SQLException {
        Endpoint current = existing(store, name);
        if (current.version() != expectedVersion) {
            throw stale(name, expectedVersion, current.version());
        }
        return current;
    }

    /** Writes {@code next} over the stored endpoint, refused (409) if that moved on from {@code expectedVersion}. */
    static void write(JdbcEndpointStore store, Endpoint next, long expectedVersion) throws SQLException {
        if (!store.update(next, expectedVersion)) {
            throw stale(next.name(), expectedVersion, -1);
        }
    }

    static void requireNoRollout(JdbcEndpointStore store, String name) throws SQLException {
        if (store.activeRollout(name).isPresent()) {
            throw new KeelException(ErrorCode.RESOURCE_CONFLICT, "endpoint '" + name + "' has a canary rollout in"
                    + " progress; promote or abort it first");
        }
    }

    /** The registered models the variants serve, in the variants' order. */
    static Set<String> models(List<Variant> variants) {
        Set<String> models = new LinkedHashSet<>();
        variants.forEach(variant -> models.add(variant.model().name()));
        return models;
    }

    /** The audit resource of an endpoint, which its rollouts' events name too. */
    static String resource(String name) {
        return "endpoint/" + name;
    }

    static KeelException notFound(String name) {
        return KeelException.notFound("no endpoint named '" + name + "'");
    }

    private static KeelException stale(String name, long expected, long actual) {
        return new KeelException(ErrorCode.RESOURCE_CONFLICT, "endpoint '" + name + "' was changed by someone else"
                + (actual >= 0 ? " (it is at version " + actual + ", the change was made on version " + expected + ")" : "")
                + "; read it again and retry");
    }
}
