package dev.keel.serving.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Keel's in-process predict path against the floor, a bare ONNX Runtime {@code session.run}, on
 * the same model (the test logistic regression over 15 features, exported by Tribuo) and the same
 * rows. Issue 5's target: Keel's path at most 1.5× the floor.
 *
 * <ul>
 * <li>{@code sessionRun}: the floor — an input tensor built once over a direct buffer, then only
 * {@code run} and closing its result; the session has the same options as Keel's.</li>
 * <li>{@code keelPredict}: what a protocol handler calls once it has parsed a request into a float
 * array — build the Keel tensor, check it against the signature, copy it into a direct buffer,
 * run, copy the output into a Keel tensor, close every native value.</li>
 * </ul>
 *
 * {@link #main} runs the two in alternating JMH runs (floor, Keel, Keel, floor, …) and reports the
 * medians of the rounds and of their ratios, because on a machine shared with other work the
 * load changes between runs more than the difference being measured. Run it with
 * {@code bench/serving-runtime.sh [ROUNDS]}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PredictBenchmark {
    @Param({"1", "100"})
    public int rows;

    private ModelRuntime runtime;
    private OrtSession session;
    private OnnxTensor prebuilt;
    private Map<String, OnnxTensor> feeds;
    private float[] values;
    private long[] shape;

    @Setup
    public void open() throws IOException, OrtException {
        Path model = LogisticModel.train(1).onnxDirectory(Files.createTempDirectory("keel-predict-bench"));
        runtime = new ModelDirectories(Map.of("bench", model), RuntimeOptions.DEFAULT, Footprint.DEFAULT)
                .open(ModelDirectories.key("bench"));
        Tensor input = LogisticModel.onnxInput(LogisticModel.rows(rows, 5));
        values = input.floats();
        shape = input.shape();

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            session = env.createSession(model.resolve("model.onnx").toString(), options);
        }
        FloatBuffer buffer = ByteBuffer.allocateDirect(values.length * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        buffer.put(values).flip();
        prebuilt = OnnxTensor.createTensor(env, buffer, shape);
        feeds = Map.of("input", prebuilt);
    }

    @TearDown
    public void close() throws OrtException {
        prebuilt.close();
        session.close();
        runtime.close();
    }

    @Benchmark
    public void sessionRun(Blackhole blackhole) throws OrtException {
        try (OrtSession.Result result = session.run(feeds)) {
            blackhole.consume(result.get(0));
        }
    }

    @Benchmark
    public List<Tensor> keelPredict() {
        return runtime.predict(List.of(Tensor.fp32("input", shape, values)));
    }

    /** {@code [ROUNDS]} (default 5): alternating JMH runs per row count, then the medians. */
    public static void main(String[] args) throws RunnerException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        for (int rows : new int[]{1, 100}) {
            List<Double> floor = new ArrayList<>();
            List<Double> keel = new ArrayList<>();
            List<Double> ratios = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                double f;
                double k;
                if (round % 2 == 0) {
                    f = median("sessionRun", rows);
                    k = median("keelPredict", rows);
                } else {
                    k = median("keelPredict", rows);
                    f = median("sessionRun", rows);
                }
                floor.add(f);
                keel.add(k);
                ratios.add(k / f);
                System.out.printf(Locale.ROOT, "rows %3d  round %d  session.run %8.3f us  Keel predict %8.3f us  ratio %.2f%n",
                        rows, round + 1, f, k, k / f);
            }
            System.out.printf(Locale.ROOT, "rows %3d  MEDIANS of %d rounds: session.run %.3f us, Keel predict %.3f us, "
                    + "Keel / session.run %.2f (target <= 1.5)%n", rows, rounds, median(floor), median(keel), median(ratios));
        }
    }

    /** One JMH run (1 fork, 3 × 1 s warm-up, 5 × 1 s measured); the median of its iterations, µs per call. */
    private static double median(String benchmark, int rows) throws RunnerException {
        Options options = new OptionsBuilder()
                .include(PredictBenchmark.class.getName().replace(".", "\\.") + "\\." + benchmark + "$")
                .param("rows", Integer.toString(rows))
                .forks(1)
                .warmupIterations(3).warmupTime(TimeValue.seconds(1))
                .measurementIterations(5).measurementTime(TimeValue.seconds(1))
                .verbosity(VerboseMode.SILENT)
                .build();
        List<Double> scores = new ArrayList<>();
        for (RunResult run : new Runner(options).run()) {
            for (BenchmarkResult result : run.getBenchmarkResults()) {
                for (IterationResult iteration : result.getIterationResults()) {
                    scores.add(iteration.getPrimaryResult().getScore());
                }
            }
        }
        return median(scores);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }
}
