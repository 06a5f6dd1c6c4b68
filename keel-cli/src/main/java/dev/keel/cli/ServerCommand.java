package dev.keel.cli;

import dev.keel.core.ErrorCode;
import dev.keel.core.KeelConfig;
import dev.keel.core.KeelException;
import dev.keel.governance.access.AccessControl;
import dev.keel.server.Authentication;
import dev.keel.server.KeelPlatform;
import dev.keel.server.KeelServer;
import dev.keel.server.PlatformOptions;
import dev.keel.serving.batching.BatchingOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code keel server}: the platform and its HTTP API in this process, until Ctrl-C or SIGTERM. */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = "Start a Keel server: REST API at /api/v1, OpenAPI at /api/docs. Stops gracefully on Ctrl-C or SIGTERM.")
final class ServerCommand implements Callable<Integer> {
    private static final Duration BOOTSTRAP_TOKEN_LIFETIME = Duration.ofHours(24);
    private final Invocation invocation;

    @Option(names = "--host", paramLabel = "HOST", description = "address to listen on (default: 127.0.0.1)")
    private String host;

    @Option(names = "--port", paramLabel = "PORT", description = "port to listen on; 0 picks a free one (default: " + KeelConfig.DEFAULT_PORT + ")")
    private Integer port;

    @Option(names = "--store", paramLabel = "URL", description = "metadata store, e.g. postgresql://user@host:5432/keel (default: KEEL_STORE, else SQLite in KEEL_HOME)")
    private String store;

    @Option(names = "--artifacts", paramLabel = "DIR", description = "artifact directory (default: KEEL_HOME/artifacts)")
    private Path artifacts;

    @Option(names = "--auth", description = "require sign-in (bearer token or HTTP Basic) and check permissions; "
            + "the first admin's password comes from KEEL_ADMIN_PASSWORD, else a one-time token is printed")
    private boolean auth;

    @Option(names = "--batch-size", paramLabel = "N",
            description = "micro-batching default for every model: run up to N rows of concurrent requests in one call "
                    + "(default: 1, off); a version's tag keel.serving.batch_size overrides it")
    private int batchSize = 1;

    @Option(names = "--batch-delay", paramLabel = "DELAY",
            description = "micro-batching default: the longest a request waits for others, e.g. 2ms or 500us "
                    + "(default: 2ms); a version's tag keel.serving.batch_delay overrides it")
    private String batchDelay = BatchingOptions.OFF.delayText();

    ServerCommand(Invocation invocation) {
        this.invocation = invocation;
    }

    @Override
    public Integer call() throws InterruptedException {
        KeelConfig config = config();
        KeelPlatform platform = open(config);
        KeelServer server;
        try {
            if (auth) {
                bootstrap(platform);
            }
            server = KeelServer.start(platform, config.host(), config.port());
        } catch (KeelException e) {
            platform.close();
            throw e;
        } catch (RuntimeException e) {
            // most often the port is taken: an expected failure, told in one line
            platform.close();
            throw new KeelException(ErrorCode.TEMPORARILY_UNAVAILABLE,
                    "cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
        }
        invocation.out().println("Keel is running at " + server.uri());
        invocation.out().println("  REST API  " + server.uri().resolve("/api/v1"));
        invocation.out().println("  OpenAPI   " + server.uri().resolve("/api/docs"));
        BatchingOptions batching = batching();
        if (batching.enabled()) {
            invocation.out().println("  micro-batching by default: up to " + batching.maxBatchSize() + " rows, waiting "
                    + "at most " + batching.delayText() + " (a version's keel.serving.batch_* tags override it)");
        }
        // requests in flight finish, then the store closes
        StopSignal.await(invocation, "keel-shutdown", "stopping Keel", "Keel stopped", () -> {
            try {
                server.close();
            } finally {
                platform.close();
            }
        });
        return ExitCode.OK.value();
    }

    /** KEEL_HOME and the rest from the environment, with what the options say instead. */
    KeelConfig config() {
        KeelConfig config = KeelConfig.fromEnvironment(invocation.env());
        if (store != null) {
            config = config.withStore(store);
        }
        if (artifacts != null) {
            config = config.withArtifactRoot(artifacts);
        }
        return config.withListen(host != null ? host : config.host(), port != null ? port : config.port());
    }

    /** The platform as the options set it up; the options are checked before anything is opened. */
    KeelPlatform open(KeelConfig config) {
        return KeelPlatform.open(config, PlatformOptions.defaults()
                .withAuthentication(auth ? Authentication.on() : Authentication.OFF).withBatching(batching()));
    }

    /** Every model version's micro-batching unless its tags choose their own. */
    private BatchingOptions batching() {
        return BatchingOptions.of(BatchingOptions.parseSize("'--batch-size'", Integer.toString(batchSize)),
                BatchingOptions.parseDelay("'--batch-delay'", batchDelay));
    }

    /** The first admin, once: from KEEL_ADMIN_PASSWORD, or a token shown here and never again. */
    private void bootstrap(KeelPlatform platform) {
        String password = invocation.env().get("KEEL_ADMIN_PASSWORD");
        platform.access().bootstrap(password, BOOTSTRAP_TOKEN_LIFETIME).ifPresent(token -> {
            invocation.out().println("No admin yet: created user '" + AccessControl.ADMIN + "' with a one-time token, valid for "
                    + BOOTSTRAP_TOKEN_LIFETIME.toHours() + " hours. It is shown now and never again:");
            invocation.out().println("  " + token.secret());
            invocation.out().println("Sign in with 'Authorization: Bearer <token>' (KEEL_TOKEN for the CLI) and create "
                    + "users and longer-lived tokens.");
        });
    }
}
