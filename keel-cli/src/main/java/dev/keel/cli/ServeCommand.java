package dev.keel.cli;

import dev.keel.api.Keel;
import dev.keel.api.registry.ManifestFile;
import dev.keel.api.serving.ModelReference;
import dev.keel.core.Actor;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelConfig;
import dev.keel.core.KeelException;
import dev.keel.server.KeelServer;
import dev.keel.server.ServerOptions;
import dev.keel.server.StandaloneOptions;
import dev.keel.server.StandaloneServing;
import dev.keel.serving.batching.BatchingOptions;
import dev.keel.serving.runtime.RuntimeOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code keel serve}: one model behind the inference protocols in a lean process — an edge box,
 * or a replica behind a load balancer — until Ctrl-C or SIGTERM. This command's wiring is the
 * standalone process's whole composition: where the model comes from (a remote Keel server when
 * KEEL_URL is set, else the registry in KEEL_HOME, or a local directory), {@link StandaloneServing}
 * and {@link KeelServer#serving}. Keep it that small.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve one model over the Open Inference Protocol (/v2), MLflow's /invocations and Keel's "
                + "predict, with /health and /metrics; nothing else. The model is loaded (and every file's digest "
                + "verified) before the port opens.",
                "Registry models come from the server KEEL_URL names (signed in with KEEL_TOKEN), else from the store "
                        + "in KEEL_HOME. An @alias or a stage is followed: a moved alias is served within "
                        + "5 seconds."},
        footer = {"", "Examples:", "  keel serve --model models:/credit/3",
                "  KEEL_URL=http://keel:5005 keel serve --model models:/credit@champion --host 0.0.0.0",
                "  keel serve --model ./credit-model --name credit --batch-size 32 --batch-delay 2ms"})
final class ServeCommand implements Callable<Integer> {
    /** KServe's and most model servers' port: next to a Keel server (5005) on one machine without a clash. */
    static final int DEFAULT_PORT = 8080;
    private static final Pattern SIZE = Pattern.compile("(\\d{1,12})([kmg]?)b?", Pattern.CASE_INSENSITIVE);

    private final Invocation invocation;

    @Option(names = "--model", required = true, paramLabel = "MODEL",
            description = "models:/NAME/VERSION, models:/NAME@ALIAS, models:/NAME/STAGE, or a local model directory")
    private String model;

    @Option(names = "--name", paramLabel = "NAME",
            description = "the name clients call the model by (default: the registered model's name, or the directory's)")
    private String name;

    @Option(names = "--host", paramLabel = "HOST", description = "address to listen on (default: 127.0.0.1; 0.0.0.0 for all)")
    private String host = "127.0.0.1";

    @Option(names = "--port", paramLabel = "PORT", description = "port to listen on; 0 picks a free one (default: " + DEFAULT_PORT + ")")
    private int port = DEFAULT_PORT;

    @Option(names = "--memory", paramLabel = "SIZE",
            description = "memory budget of the loaded model versions, e.g. 512m or 2g (default: a quarter of the heap)")
    private String memory;

    @Option(names = "--intra-op-threads", paramLabel = "N",
            description = "threads ONNX Runtime may use inside one call (default: 1, best for small models under load)")
    private int intraOpThreads = RuntimeOptions.DEFAULT.intraOpThreads();

    @Option(names = "--batch-size", paramLabel = "N",
            description = "micro-batching: run up to N rows of concurrent requests in one call (default: 1, off)")
    private int batchSize = 1;

    @Option(names = "--batch-delay", paramLabel = "DELAY",
            description = "micro-batching: the longest a request waits for others, e.g. 2ms or 500us (default: 2ms); "
                    + "the version's tags keel.serving.batch_size and keel.serving.batch_delay override both flags")
    private String batchDelay = "2ms";

    ServeCommand(Invocation invocation) {
        this.invocation = invocation;
    }

    @Override
    public Integer call() throws InterruptedException {
        Running running = start();
        // requests in flight finish, then the model unloads
        StopSignal.await(invocation, "keel-serve-shutdown", "stopping", "stopped", running::close);
        return ExitCode.OK.value();
    }

    /** Loads the model, opens the port and says what it serves where; the caller closes what it returns. */
    Running start() {
        if (port < 0 || port > 65535) {
            throw KeelException.invalid("'--port' must be between 0 and 65535 (got " + port + ")");
        }
        StandaloneOptions options = new StandaloneOptions(memory == null ? StandaloneOptions.defaults().memoryBudgetBytes()
                : bytes(memory), new RuntimeOptions(intraOpThreads), BatchingOptions.of(batchSize, delay(batchDelay)));
        Keel session = null;
        StandaloneServing serving;
        String source;
        if (model.startsWith("models:/")) {
            ModelReference reference = ModelReference.parse("--model", model);
            session = KeelSession.open(invocation.env());
            try {
                Path cache = KeelConfig.fromEnvironment(invocation.env()).home().resolve("serving-cache");
                serving = StandaloneServing.fromRegistry(session.registry(), Actor.LOCAL, cache, reference, name, options);
            } catch (RuntimeException e) {
                session.close();
                throw e;
            }
            source = session.location();
        } else {
            Path directory = Path.of(model);
            if (!Files.isDirectory(directory)) {
                throw KeelException.invalid("'--model' is neither a models:/ URI nor a directory: '" + model
                        + "' (a registry model is written models:/NAME/VERSION, models:/NAME@ALIAS or models:/NAME/STAGE)");
            }
            serving = StandaloneServing.fromDirectory(directory, name, options);
            source = "local directory " + directory.toAbsolutePath().normalize();
        }
        KeelServer server;
        try {
            server = KeelServer.serving(serving, host, port, ServerOptions.defaults());
        } catch (RuntimeException e) {
            serving.close();
            if (session != null) {
                session.close();
            }
            // most often the port is taken: an expected failure, told in one line
            throw new KeelException(ErrorCode.TEMPORARILY_UNAVAILABLE,
                    "cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        Running running = new Running(session, serving, server);
        describe(running, source);
        return running;
    }

    private void describe(Running running, String source) {
        StandaloneServing serving = running.serving();
        URI uri = running.server().uri();
        String name = serving.name();
        var out = invocation.out();
        out.println("Serving " + serving.served().name() + " version " + serving.served().version() + " ("
                + serving.reference().uri() + ") as '" + name + "', from " + source);
        if (serving.verifiedFiles().isEmpty()) {
            out.println("  local directory: no manifest, so file digests are not checked");
        } else {
            out.println("  files verified against the registry's SHA-256 digests:");
            for (ManifestFile file : serving.verifiedFiles()) {
                out.println("    " + file.sha256() + "  " + file.path() + " (" + file.size() + " bytes)");
            }
        }
        if (!(serving.reference() instanceof ModelReference.ByVersion)) {
            out.println("  following " + serving.reference().uri() + ": re-resolved every 5 seconds");
        }
        // the flags are a default: the served version's tags may say otherwise
        BatchingOptions batching = serving.inference().batching(serving.served());
        if (batching.enabled()) {
            out.println("  micro-batching: up to " + batching.maxBatchSize() + " rows, waiting at most "
                    + batching.delayText());
        }
        out.println("Listening at " + uri);
        out.println("  OIP infer     POST " + uri.resolve("/v2/models/" + name + "/infer"));
        out.println("  OIP metadata  GET  " + uri.resolve("/v2/models/" + name) + " (and /ready, /v2/health/ready)");
        out.println("  MLflow        POST " + uri.resolve("/invocations"));
        out.println("  predict       POST " + uri.resolve("/api/v1/endpoints/" + name + "/predict"));
        out.println("  health        GET  " + uri.resolve("/health"));
        out.println("  metrics       GET  " + uri.resolve("/metrics"));
        out.flush();
    }

    /** {@code 512m}, {@code 2g}, {@code 1048576}: bytes. */
    static long bytes(String text) {
        Matcher matcher = SIZE.matcher(text.strip());
        if (!matcher.matches()) {
            throw KeelException.invalid("'--memory' must be a size such as 512m or 2g (got '" + text + "')");
        }
        long value = Long.parseLong(matcher.group(1));
        int shift = switch (matcher.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            default -> 0;
        };
        if (value == 0 || value > (Long.MAX_VALUE >> shift)) {
            throw KeelException.invalid("'--memory' must be a positive size such as 512m or 2g (got '" + text + "')");
        }
        return value << shift;
    }

    /** {@code 2ms}, {@code 500us}, {@code 1s}: read as a version's {@value BatchingOptions#DELAY_TAG} tag is. */
    static Duration delay(String text) {
        return BatchingOptions.parseDelay("'--batch-delay'", text);
    }

    /** A started standalone server and what it stands on; closing stops it gracefully, then unloads. */
    record Running(Keel session, StandaloneServing serving, KeelServer server) implements AutoCloseable {
        @Override
        public void close() {
            try {
                server.close();
            } finally {
                serving.close();
                if (session != null) {
                    session.close();
                }
            }
        }
    }
}
