package dev.keel.cli.bench;

import dev.keel.api.registry.NewRegisteredModel;
import dev.keel.core.Actor;
import dev.keel.server.KeelPlatform;
import dev.keel.server.KeelServer;
import dev.keel.serving.runtime.LoadedModelsStats;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Issue 5's "100 registered small models served under a 512 MB heap with LRU": a JVM of its own
 * started with {@code -Xmx512m} (the limit must hold from the start, so it cannot be this
 * JVM) registers 100 small logistic regressions, asks each in turn over OIP V2 for five
 * passes, and reports what the model cache holds and what the heap and the process take.
 */
final class ManyModelsBenchmark {
    static final int MODELS = 100;
    static final int PASSES = 5;
    private static final Actor BENCH = new Actor("bench");

    private ManyModelsBenchmark() {
    }

    /** Starts the measuring JVM (same classpath, -Xmx512m) and passes its output through; true when it met the target. */
    static boolean runInSmallHeap(PrintStream out) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                ManyModelsBenchmark.class.getName()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        out.write(process.getInputStream().readAllBytes());
        out.flush();
        return process.waitFor() == 0;
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(System.out) ? 0 : 3);
    }

    private static boolean run(PrintStream out) throws Exception {
        byte[] body = BenchModel.oipBody(1).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (FreshStore fresh = FreshStore.create(null);
             KeelPlatform platform = KeelPlatform.open(fresh.config());
             KeelServer server = KeelServer.start(platform, "127.0.0.1", 0)) {
            long started = System.nanoTime();
            for (int i = 0; i < MODELS; i++) {
                String name = name(i);
                platform.registry().createRegisteredModel(BENCH, NewRegisteredModel.named(name));
                BenchModel.register(platform.registry(), BENCH, name, BenchModel.trainOnnx(100 + i));
            }
            System.err.printf(Locale.ROOT, "  … registered %d models in %.1f s%n", MODELS,
                    (System.nanoTime() - started) / 1e9);
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI base = server.uri();
            List<String> passes = new ArrayList<>();
            boolean allAnswered = true;
            for (int pass = 0; pass < PASSES; pass++) {
                long passStart = System.nanoTime();
                for (int i = 0; i < MODELS; i++) {
                    HttpRequest request = HttpRequest.newBuilder(base.resolve("/v2/models/" + name(i) + "/versions/1/infer"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
                    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() != 200) {
                        allAnswered = false;
                        out.println(name(i) + " answered " + response.statusCode() + ": " + response.body());
                    }
                }
                passes.add(String.format(Locale.ROOT, "%.2f ms/request", (System.nanoTime() - passStart) / 1e6 / MODELS));
            }
            LoadedModelsStats stats = platform.serving().models().stats();
            System.gc();
            MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
            out.printf("100 small models under -Xmx512m (OIP V2 /v2/models/NAME/versions/1/infer, %d passes over all)%n",
                    PASSES);
            out.println("  every request answered 200:     " + (allAnswered ? "yes" : "NO"));
            out.println("  per pass (first loads them):    " + String.join(", ", passes));
            out.printf(Locale.ROOT, "  models loaded / loads / evictions: %d / %d / %d%n", stats.loadedModels(),
                    stats.loads(), stats.evictions());
            out.printf(Locale.ROOT, "  cache estimate / budget:         %.1f MB / %.1f MB%n", mb(stats.usedBytes()),
                    mb(stats.budgetBytes()));
            out.printf(Locale.ROOT, "  heap used after GC / max heap:   %.1f MB / %.1f MB%n", mb(heap.getUsed()),
                    mb(heap.getMax()));
            out.printf(Locale.ROOT, "  process resident memory:         %s (ONNX Runtime sessions live off the heap)%n",
                    residentMemory());
            if (stats.loadedModels() > 0) {
                out.printf(Locale.ROOT, "  models of this size the budget holds before LRU unloads one: about %,d%n",
                        stats.budgetBytes() / (stats.usedBytes() / stats.loadedModels()));
            }
            boolean withinBudget = stats.usedBytes() <= stats.budgetBytes();
            boolean met = allAnswered && withinBudget && stats.loadFailures() == 0;
            out.println("  " + (met ? "meets target" : "MISSES target"));
            return met;
        }
    }

    private static String name(int i) {
        return String.format(Locale.ROOT, "small-%03d", i);
    }

    private static double mb(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    /** VmRSS from /proc (Linux); "unknown" elsewhere. */
    private static String residentMemory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return String.format(Locale.ROOT, "%.1f MB", kb / 1024.0);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return "unknown";
        }
        return "unknown";
    }
}
