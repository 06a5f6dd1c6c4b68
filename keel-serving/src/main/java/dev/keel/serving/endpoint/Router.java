package dev.keel.serving.endpoint;

import dev.keel.api.serving.Endpoint;
import dev.keel.api.serving.ServingName;
import dev.keel.core.Checks;
import dev.keel.core.KeelException;
import dev.keel.serving.rollout.TrafficStatistics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Picks the variant that answers each request, and whether the request is copied to the shadow.
 *
 * <p>Built for the request path: a lookup of the endpoint's compiled {@link RoutingTable} and
 * then O(1) work with no lock and no allocation, whatever the policy. A request with a key (user,
 * session) is assigned by {@link KeyHash}, the same on every replica and after every restart;
 * one without a key is assigned by a seeded random draw. A change to an endpoint compiles a new
 * table off the request path and swaps it in whole, so a request sees the old policy or the
 * new one, never a mix.
 */
public final class Router implements EndpointChanges {
    private final TrafficStatistics statistics;
    private final SplitMix64 random;
    private final Map<String, RoutingTable> tables = new ConcurrentHashMap<>();

    public Router(TrafficStatistics statistics, long seed) {
        this.statistics = Checks.requireNonNull("statistics", statistics);
        this.random = new SplitMix64(seed);
    }

    /**
     * The route for one request to {@code endpoint}; {@code key} may be null. A 404 when the
     * router knows no such endpoint.
     */
    public Route route(String endpoint, CharSequence key) {
        RoutingTable table = tables.get(Checks.requireNonNull("endpoint", endpoint));
        if (table == null) {
            throw KeelException.notFound("no endpoint named '" + ServingName.printable(endpoint) + "'");
        }
        return table.route(key, random);
    }

    /** The endpoint as the router follows it now, or null. */
    public Endpoint endpoint(String name) {
        RoutingTable table = tables.get(name);
        return table == null ? null : table.endpoint;
    }

    /** Installs the endpoint's new definition, unless a newer one is already in (changes can be told out of order). */
    @Override
    public void changed(Endpoint endpoint) {
        RoutingTable compiled = new RoutingTable(endpoint, statistics);
        tables.merge(endpoint.name(), compiled,
                (current, fresh) -> fresh.endpoint.version() >= current.endpoint.version() ? fresh : current);
    }

    @Override
    public void deleted(String name) {
        tables.remove(name);
    }
}
