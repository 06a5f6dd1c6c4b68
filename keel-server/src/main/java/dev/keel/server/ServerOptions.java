package dev.keel.server;

import dev.keel.server.inference.InferenceLimits;
import dev.keel.core.Actor;
import dev.keel.core.Checks;
import dev.keel.core.KeelException;

import java.time.Duration;

/**
 * How the HTTP server behaves, beyond where it listens.
 *
 * @param maxJsonBodyBytes the largest JSON request body accepted (413 above it); artifact
 *                         uploads are streamed and not limited by it
 * @param shutdownTimeout  how long {@link KeelServer#close()} waits for requests in flight
 * @param actor            who every request acts as until authentication arrives
 * @param inferenceLimits  how large an inference request may be (413 above it)
 * @param defaultEndpoint  the endpoint a bare {@code POST /invocations} calls (MLflow's scoring
 *                         clients name no model), or null when the server has none
 */
public record ServerOptions(long maxJsonBodyBytes, Duration shutdownTimeout, Actor actor,
                            InferenceLimits inferenceLimits, String defaultEndpoint) {
    /** Room for the largest valid batch (1000 items of up to 6000 characters) with margin. */
    public static final long DEFAULT_MAX_JSON_BODY_BYTES = 16L * 1024 * 1024;
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

    public ServerOptions {
        if (maxJsonBodyBytes <= 0) {
            throw KeelException.invalid("'max_json_body_bytes' must be positive (got " + maxJsonBodyBytes + ")");
        }
        Checks.requireNonNull("shutdown_timeout", shutdownTimeout);
        Checks.requireNonNull("actor", actor);
        Checks.requireNonNull("inference_limits", inferenceLimits);
    }

    public static ServerOptions defaults() {
        return new ServerOptions(DEFAULT_MAX_JSON_BODY_BYTES, DEFAULT_SHUTDOWN_TIMEOUT, Actor.LOCAL,
                InferenceLimits.DEFAULTS, null);
    }

    public ServerOptions withMaxJsonBodyBytes(long bytes) {
        return new ServerOptions(bytes, shutdownTimeout, actor, inferenceLimits, defaultEndpoint);
    }

    public ServerOptions withShutdownTimeout(Duration timeout) {
        return new ServerOptions(maxJsonBodyBytes, timeout, actor, inferenceLimits, defaultEndpoint);
    }

    public ServerOptions withActor(Actor actor) {
        return new ServerOptions(maxJsonBodyBytes, shutdownTimeout, actor, inferenceLimits, defaultEndpoint);
    }

    public ServerOptions withInferenceLimits(InferenceLimits limits) {
        return new ServerOptions(maxJsonBodyBytes, shutdownTimeout, actor, limits, defaultEndpoint);
    }

    public ServerOptions withDefaultEndpoint(String endpoint) {
        return new ServerOptions(maxJsonBodyBytes, shutdownTimeout, actor, inferenceLimits, endpoint);
    }
}
