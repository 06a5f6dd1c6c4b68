package dev.keel.cli.bench;

import dev.keel.cli.Invocation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/**
 * {@code keel bench tracking|serving|models|batching}: the tracking and serving benchmarks, printed
 * beside their targets and their reference figures (MLflow's, or the bare ONNX Runtime floor's).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure Keel on this machine. 'tracking': log-batch, log-metric, search and history through the HTTP API."
                + " 'serving': inference over HTTP beside a bare Javalin + ONNX Runtime handler, with canary and A/B routers."
                + " 'models': 100 small models served in a JVM with a 512 MB heap."
                + " 'batching': micro-batching off and on at rising concurrency, in process, for a small and a larger model.")
public final class BenchCommand implements Callable<Integer> {
    private final Invocation invocation;

    @Parameters(index = "0", paramLabel = "SUITE", description = "what to measure: tracking, serving, models, batching")
    private String suite;

    @Option(names = "--store", paramLabel = "URL",
            description = "a PostgreSQL server to measure, e.g. postgresql://postgres@127.0.0.1:5432/postgres: each round creates its own database there and drops it (default: SQLite in a fresh temporary KEEL_HOME)")
    private String store;

    @Option(names = "--api", defaultValue = "keel",
            description = "protocol to drive: keel (native /api/v1) or mlflow (/api/2.0/mlflow) (default: ${DEFAULT-VALUE})")
    private String api;

    @Option(names = "--seconds", defaultValue = "10", description = "length of each load phase (default: ${DEFAULT-VALUE})")
    private int seconds;

    @Option(names = "--repeat", defaultValue = "1", description = "rounds, each on a fresh store; the medians are printed (default: ${DEFAULT-VALUE})")
    private int repeat;

    @Option(names = "--runs", defaultValue = "10000", description = "runs seeded for the search figure (default: ${DEFAULT-VALUE})")
    private int runs;

    @Option(names = "--history", defaultValue = "100000", description = "points of the metric whose history is read (default: ${DEFAULT-VALUE})")
    private int history;

    @Option(names = "--only", split = ",", paramLabel = "LOAD",
            description = "serving: run only these loads, e.g. --only 'oip 1' to profile one (default: all)")
    private java.util.List<String> only = new java.util.ArrayList<>();

    @Option(names = "--model", defaultValue = "all", paramLabel = "MODEL",
            description = "batching: the model to serve: lr (logistic regression, 15 features), mlp (perceptron 15 → 512 → 512 → 3) or all (default: ${DEFAULT-VALUE})")
    private String model;

    public BenchCommand(Invocation invocation) {
        this.invocation = invocation;
    }

    @Override
    public Integer call() throws Exception {
        if ("serving".equals(suite) || "models".equals(suite) || "batching".equals(suite)) {
            if (repeat < 1 || seconds < 1) {
                invocation.err().println("error: '--repeat' and '--seconds' must be at least 1");
                return 2;
            }
            for (String load : only) {
                if (!ServingBenchmark.LOADS.contains(load)) {
                    invocation.err().println("error: unknown load '" + load + "' in '--only'; known: "
                            + String.join(", ", ServingBenchmark.LOADS));
                    return 2;
                }
            }
            if ("batching".equals(suite)) {
                if (!"all".equals(model) && !BatchingBenchmark.MODELS.contains(model)) {
                    invocation.err().println("error: unknown --model '" + model + "'; known: "
                            + String.join(", ", BatchingBenchmark.MODELS) + ", all");
                    return 2;
                }
                new BatchingBenchmark(seconds, "all".equals(model) ? BatchingBenchmark.MODELS : java.util.List.of(model),
                        invocation.out()).run();
                return 0;
            }
            if ("models".equals(suite)) {
                return ManyModelsBenchmark.runInSmallHeap(invocation.out()) ? 0 : 3;
            }
            var figures = new ServingBenchmark(seconds, java.util.Set.copyOf(only), invocation.out()).medianOf(repeat);
            return figures.stream().allMatch(ServingBenchmark.Figure::meetsTarget) ? 0 : 3;
        }
        if (!"tracking".equals(suite)) {
            invocation.err().println("error: unknown benchmark '" + suite + "'; known: tracking, serving, models, batching");
            return 2;
        }
        TrackingApi protocol = switch (api) {
            case "keel" -> TrackingApi.KEEL;
            case "mlflow" -> TrackingApi.MLFLOW;
            default -> null;
        };
        if (protocol == null) {
            invocation.err().println("error: unknown --api '" + api + "'; known: keel, mlflow");
            return 2;
        }
        if (repeat < 1 || seconds < 1 || runs < 1 || history < 1) {
            invocation.err().println("error: '--repeat', '--seconds', '--runs' and '--history' must be at least 1");
            return 2;
        }
        var figures = new TrackingBenchmark(store, protocol, seconds, runs, history, invocation.out()).medianOf(repeat);
        return figures.stream().allMatch(TrackingBenchmark.Figure::meetsTarget) ? 0 : 3;
    }
}
