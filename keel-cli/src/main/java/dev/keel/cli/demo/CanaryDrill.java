package dev.keel.cli.demo;

import dev.keel.api.Tag;
import dev.keel.api.registry.ModelVersion;
import dev.keel.api.registry.NewModelVersion;
import dev.keel.api.registry.RegistryService;
import dev.keel.api.serving.Canary;
import dev.keel.api.serving.CanaryAnalysis;
import dev.keel.api.serving.CanaryStart;
import dev.keel.api.serving.Endpoint;
import dev.keel.api.serving.EndpointService;
import dev.keel.api.serving.GuardrailCheck;
import dev.keel.api.serving.Guardrails;
import dev.keel.api.serving.ModelReference;
import dev.keel.api.serving.NewEndpoint;
import dev.keel.api.serving.PolicyUpdate;
import dev.keel.api.serving.RollbackReport;
import dev.keel.api.serving.Rollout;
import dev.keel.api.serving.RolloutEvent;
import dev.keel.api.serving.RolloutStatus;
import dev.keel.api.serving.Single;
import dev.keel.api.serving.Variant;
import dev.keel.api.tracking.RunStatus;
import dev.keel.api.tracking.TrackingService;
import dev.keel.core.Actor;
import dev.keel.core.ArtifactPath;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import dev.keel.server.KeelPlatform;
import dev.keel.serving.Inference;
import dev.keel.serving.endpoint.Router;
import dev.keel.serving.runtime.ModelLease;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The demo's serving act, under live traffic: the version just approved is deployed behind
 * the endpoint {@value #ENDPOINT} (variant {@value #STABLE}, following the registry's
 * Production stage), a few clients send it requests over HTTP, and then a second version — an
 * ONNX export that fails on every request ({@link FixedBatchExport}) — is registered and started
 * as a canary. Its guardrails catch it and the rollout controller rolls it back on its own;
 * the clients keep going throughout, so the display shows failures appear at the canary's share
 * and stop at the rollback.
 *
 * <p>Everything here goes through the platform's services as a person's commands would, so
 * each change is in the audit trail, and the rollback is the controller's own (audited as
 * {@code keel-rollouts}).
 */
final class CanaryDrill {
    static final String ENDPOINT = DemoCommand.MODEL_NAME;
    static final String STABLE = "production";
    static final int CLIENTS = 4;
    static final List<Double> STEPS = List.of(10.0, 25.0, 50.0, 100.0);
    /**
     * Short steps for a demo; a real rollout's are minutes. Twenty requests are enough evidence
     * here, and a canary failing every request breaches on its first failure regardless.
     */
    static final CanaryAnalysis ANALYSIS = new CanaryAnalysis(Duration.ofSeconds(2), 20, 3,
            Guardrails.errorsAndLatency(1.0, Duration.ofMillis(250)));
    private static final Duration STABLE_TRAFFIC = Duration.ofSeconds(3);
    private static final Duration TRAFFIC_AFTER_ROLLBACK = Duration.ofSeconds(2);
    /** Far longer than a rollback takes (a tick of the controller, a second); only a broken controller waits this out. */
    private static final Duration ROLLBACK_DEADLINE = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(100);

    /**
     * What happened.
     *
     * @param duringCanary   the requests sent from the canary's start until the rollback was seen
     * @param afterRollback  the requests sent after the rollback was seen
     * @param clientSaw      what a client sent to the canary was told, or null
     * @param dropped        what the client library said of the first request left without an answer, or null
     */
    record Outcome(Endpoint endpoint, URI url, long stableVersion, long canaryVersion, String canaryRunId, Rollout rollout,
                   InferenceTraffic.Tally total, InferenceTraffic.Tally duringCanary,
                   InferenceTraffic.Tally afterRollback, String clientSaw, String dropped) {

        String canaryVariant() {
            return rollout.canary();
        }

        boolean rolledBack() {
            return rollout.status() == RolloutStatus.ROLLED_BACK && rollout.rollback() != null;
        }

        /** "canary v2 rolled back after 1.4 s: error rate 100% > 1% over 37 requests; stable version 1 kept serving" */
        String headline() {
            if (!rolledBack()) {
                return "canary " + canaryVariant() + " was not rolled back: the rollout ended "
                        + rollout.status().name().toLowerCase(Locale.ROOT)
                        + (rollout.reason() == null ? "" : " (" + rollout.reason() + ")");
            }
            RollbackReport report = rollout.rollback();
            return "canary " + canaryVariant() + " rolled back after " + seconds(report.breachToRollback()) + ": "
                    + report.breaches().stream().map(CanaryDrill::breach).collect(Collectors.joining(", "))
                    + "; stable version " + stableVersion + " kept serving";
        }
    }

    private final KeelPlatform platform;
    private final Actor actor;
    private final Progress progress;
    private final Clock clock;

    CanaryDrill(KeelPlatform platform, Actor actor, Progress progress, Clock clock) {
        this.platform = platform;
        this.actor = actor;
        this.progress = progress;
        this.clock = clock;
    }

    Outcome run(URI server, String experimentId, long productionVersion, List<Applicant> applicants) {
        EndpointService endpoints = platform.serving().endpoints();
        Variant stable = Variant.of(STABLE, "models:/" + DemoCommand.MODEL_NAME + "/Production");
        deploy(endpoints, stable);
        URI url = server.resolve("/v2/models/" + ENDPOINT + "/infer");
        // loaded before traffic arrives, as a deployment warms its model: the first requests measure serving, not loading
        warm(stable.model());
        progress.note("deployed version " + productionVersion + " (Production) behind endpoint '" + ENDPOINT
                + "': variant '" + STABLE + "' serves " + stable.model().uri() + ", single policy; " + CLIENTS
                + " clients send single-row requests to " + url);
        try (InferenceTraffic traffic = InferenceTraffic.start(server, ENDPOINT, applicants, CLIENTS);
             TrafficDisplay display = new TrafficDisplay(progress, traffic, this::split)) {
            pause(STABLE_TRAFFIC);

            ModelVersion broken = registerBroken(experimentId, display);
            Variant canary = Variant.of("v" + broken.version(), "models:/" + broken.name() + "/" + broken.version());
            warm(canary.model());
            // marked before the start: the router takes the canary in before startCanary returns
            long canaryStarted = System.nanoTime();
            Rollout started = endpoints.startCanary(actor, ENDPOINT, new CanaryStart(canary, STEPS, ANALYSIS));
            display.note("canary rollout " + started.id() + ": " + canary.name() + " takes "
                    + STEPS.stream().map(CanaryDrill::percent).collect(Collectors.joining(" -> "))
                    + " of the traffic, a step every " + seconds(ANALYSIS.interval()) + " while within its guardrails"
                    + " (error rate <= " + percent(ANALYSIS.guardrails().maxErrorPercent()) + ", p99 <= "
                    + ANALYSIS.guardrails().maxP99Latency().toMillis() + " ms, from "
                    + ANALYSIS.minSamples() + " requests)");

            Rollout ended = awaitEnd(endpoints, started, display);
            long rollbackSeen = System.nanoTime();
            if (ended.status() == RolloutStatus.ROLLED_BACK && ended.rollback() != null) {
                RollbackReport report = ended.rollback();
                display.note("  rolled back by the rollout controller at " + percent(report.canaryWeight()) + ": "
                        + report.breaches().stream().map(CanaryDrill::breach).collect(Collectors.joining(", ")));
                display.note("  breach to rollback " + seconds(report.breachToRollback()) + " (detected to rollback "
                        + report.detectionToRollback().toMillis() + " ms); all traffic on '" + ended.stable() + "' again");
            }
            pause(TRAFFIC_AFTER_ROLLBACK);
            traffic.close();
            display.close();
            return new Outcome(endpoints.getEndpoint(actor, ENDPOINT), url, productionVersion, broken.version(),
                    broken.runId(), ended, traffic.tally(), traffic.sentBetween(canaryStarted, rollbackSeen),
                    traffic.sentBetween(rollbackSeen, Long.MAX_VALUE), traffic.firstFailure(), traffic.firstUnanswered());
        }
    }

    /**
     * Creates the endpoint with the stable variant alone, or — when an earlier demo left it —
     * puts it back to that, ending a rollout it left in flight.
     */
    private Endpoint deploy(EndpointService endpoints, Variant stable) {
        Endpoint existing;
        try {
            existing = endpoints.getEndpoint(actor, ENDPOINT);
        } catch (KeelException e) {
            if (e.code() != ErrorCode.RESOURCE_DOES_NOT_EXIST) {
                throw e;
            }
            return endpoints.createEndpoint(actor, new NewEndpoint(ENDPOINT, List.of(stable), new Single(STABLE), null));
        }
        if (endpoints.listRollouts(actor, ENDPOINT).stream().anyMatch(rollout -> rollout.status().active())) {
            endpoints.abort(actor, ENDPOINT, "superseded by a new 'keel demo'");
            existing = endpoints.getEndpoint(actor, ENDPOINT);
        }
        return endpoints.updatePolicy(actor, ENDPOINT, new PolicyUpdate(existing.version(), List.of(stable),
                new Single(STABLE)));
    }

    private void warm(ModelReference model) {
        Inference inference = platform.serving().inference();
        try (ModelLease ignored = inference.lease(model)) {
            // loading is the point; the lease only keeps it from being unloaded while we look
        }
    }

    /** Logs the broken export as a run of the demo's experiment and registers it as the next version. */
    private ModelVersion registerBroken(String experimentId, TrafficDisplay display) {
        TrackingService tracking = platform.tracking();
        RunLog log = new ServiceRunLog(tracking, actor);
        String runId = log.start(experimentId, FixedBatchExport.RUN_NAME, clock.millis(), List.of(
                new Tag("keel.demo", "credit-risk"),
                new Tag("keel.demo.protocol", log.protocol()),
                new Tag("keel.demo.role", "misbehaving canary"),
                new Tag("model_type", "onnx export"),
                new Tag("mlflow.source.name", "keel demo")));
        for (Map.Entry<ArtifactPath, byte[]> file : FixedBatchExport.files().entrySet()) {
            log.upload(runId, file.getKey(), file.getValue());
        }
        log.end(runId, RunStatus.FINISHED, clock.millis());
        RegistryService registry = platform.registry();
        ModelVersion version = registry.createModelVersion(actor, new NewModelVersion(DemoCommand.MODEL_NAME,
                "runs:/" + runId + "/" + FixedBatchExport.DIRECTORY.value(), runId,
                "An ONNX export with its batch fixed at " + FixedBatchExport.BATCH + " rows: it fails on every other "
                        + "batch. Registered by 'keel demo' to show a canary rolled back.",
                List.of(new Tag("keel.demo", "credit-risk"), new Tag("keel.demo.role", "misbehaving canary")), null));
        display.note("registered version " + version.version() + " of '" + version.name() + "': an ONNX export whose"
                + " batch was fixed at " + FixedBatchExport.BATCH + " rows, so every single-row request fails inside"
                + " ONNX Runtime (a 500, not a client's 400)");
        return version;
    }

    /** Waits for the rollout to end, noting its steps; past the deadline it is aborted, as a person would. */
    private Rollout awaitEnd(EndpointService endpoints, Rollout started, TrafficDisplay display) {
        long deadline = System.nanoTime() + ROLLBACK_DEADLINE.toNanos();
        Rollout rollout = started;
        int shown = started.history().size();
        while (rollout.status().active()) {
            if (System.nanoTime() > deadline) {
                display.note("  no decision after " + seconds(ROLLBACK_DEADLINE) + "; aborting the rollout");
                return endpoints.abort(actor, ENDPOINT, "'keel demo' saw no decision within " + seconds(ROLLBACK_DEADLINE));
            }
            pause(POLL);
            rollout = endpoints.getRollout(actor, ENDPOINT);
            List<RolloutEvent> history = rollout.history();
            for (RolloutEvent event : history.subList(Math.min(shown, history.size()), history.size())) {
                if (!event.kind().equals("rolled_back")) {
                    display.note("  " + event.kind() + " (" + percent(event.canaryWeight()) + ")"
                            + (event.detail() == null ? "" : ": " + event.detail()));
                }
            }
            shown = history.size();
        }
        awaitRouter();
        return rollout;
    }

    /**
     * The rollback is committed before the router is told, on the controller's thread: wait for
     * the router to follow, so a request sent after this returns cannot reach the canary.
     */
    private void awaitRouter() {
        long deadline = System.nanoTime() + ROLLBACK_DEADLINE.toNanos();
        while (platform.serving().router().endpoint(ENDPOINT).policy() instanceof Canary && System.nanoTime() < deadline) {
            pause(Duration.ofMillis(5));
        }
    }

    /** How the router splits the endpoint's traffic now: "production 90% | v2 10%". */
    private String split() {
        Router router = platform.serving().router();
        Endpoint endpoint = router.endpoint(ENDPOINT);
        if (endpoint == null) {
            return "-";
        }
        Map<String, Double> split = endpoint.policy().split();
        return endpoint.policy().variants().stream()
                .map(variant -> variant + " " + percent(split.getOrDefault(variant, 0.0)))
                .collect(Collectors.joining(" | "));
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeelException(ErrorCode.INTERNAL_ERROR, "the demo was interrupted");
        }
    }

    /** "error rate 100% > 1% over 37 requests", "p99 412.0 ms > 250 ms over 80 requests" */
    static String breach(GuardrailCheck check) {
        return switch (check.guardrail()) {
            case "error_rate" -> "error rate " + percent(check.observed()) + " > " + percent(check.bound()) + " over "
                    + check.samples() + " requests";
            case "p99_latency" -> "p99 " + number(check.observed()) + " ms > " + number(check.bound()) + " ms over "
                    + check.samples() + " requests";
            default -> check.describe();
        };
    }

    static String percent(double value) {
        return number(value) + "%";
    }

    private static String number(double value) {
        return value == Math.rint(value) ? String.format(Locale.ROOT, "%.0f", value)
                : String.format(Locale.ROOT, "%.1f", value);
    }

    static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }

    /**
     * {@code text} in at most {@code max} characters on one line, cut in the middle: an error's
     * start says who failed and its end says why.
     */
    static String elide(String text, int max) {
        String line = text.replaceAll("\\s+", " ").strip();
        if (line.length() <= max) {
            return line;
        }
        int head = (max - 5) / 2;
        return line.substring(0, head) + " ... " + line.substring(line.length() - (max - 5 - head));
    }
}
