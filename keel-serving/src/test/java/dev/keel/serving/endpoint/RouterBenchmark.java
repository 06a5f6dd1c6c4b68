package dev.keel.serving.endpoint;

import dev.keel.api.serving.AbTest;
import dev.keel.api.serving.Endpoint;
import dev.keel.api.serving.Shadow;
import dev.keel.api.serving.Single;
import dev.keel.api.serving.Variant;
import dev.keel.serving.rollout.TrafficStatistics;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The router's cost per request, single against canary and A/B, keyless and keyed, alone and
 * with the outcome recorded. A plain timing loop (JMH is not among the build's dependencies):
 * warm-up rounds, then the median of measured rounds. Not a unit test; run it by hand:
 *
 * <pre>
 * java -cp keel-serving/target/test-classes:keel-serving/target/classes:$(deps) dev.keel.serving.endpoint.RouterBenchmark
 * </pre>
 */
public final class RouterBenchmark {
    private static final int KEYS = 1 << 16;
    private static final long ROUND_NANOS = Duration.ofMillis(500).toNanos();
    private static volatile long sink;

    private RouterBenchmark() {
    }

    public static void main(String[] args) {
        TrafficStatistics statistics = new TrafficStatistics(Clock.systemUTC());
        Router router = new Router(statistics, 1);
        List<Variant> variants = List.of(Endpoints.V1, Endpoints.V2, Endpoints.V3);
        router.changed(new Endpoint("single", variants, new Single("v1"), null, 1, "b", Endpoints.T0, Endpoints.T0));
        router.changed(new Endpoint("canary", variants, Endpoints.canary(0), null, 1, "b", Endpoints.T0, Endpoints.T0));
        router.changed(new Endpoint("ab", variants, new AbTest(Map.of("v1", 20.0, "v2", 30.0, "v3", 50.0)), null, 1, "b",
                Endpoints.T0, Endpoints.T0));
        router.changed(new Endpoint("shadowed", variants, new Single("v1"), new Shadow("v3", 10), 1, "b", Endpoints.T0,
                Endpoints.T0));
        String[] keys = new String[KEYS];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = "user-" + (1_000_000 + i * 7919L);
        }
        System.out.printf("%-34s %10s%n", "case", "ns/request");
        run("single, keyless", n -> loop(router, "single", null, n));
        run("single + shadow 10%, keyless", n -> loop(router, "shadowed", null, n));
        run("canary 10%, keyless", n -> loop(router, "canary", null, n));
        run("canary 10%, keyed", n -> loop(router, "canary", keys, n));
        run("A/B 20/30/50, keyless", n -> loop(router, "ab", null, n));
        run("A/B 20/30/50, keyed", n -> loop(router, "ab", keys, n));
        run("single, keyless + record", n -> loopRecording(router, "single", null, n));
        run("canary 10%, keyless + record", n -> loopRecording(router, "canary", null, n));
        run("A/B 20/30/50, keyed + record", n -> loopRecording(router, "ab", keys, n));
    }

    private interface Work {
        long run(int n);
    }

    private static long loop(Router router, String endpoint, String[] keys, int n) {
        long acc = 0;
        for (int i = 0; i < n; i++) {
            Route route = router.route(endpoint, keys == null ? null : keys[i & (KEYS - 1)]);
            acc += route.variant().name().length() + (route.mirror() ? 1 : 0);
        }
        return acc;
    }

    private static long loopRecording(Router router, String endpoint, String[] keys, int n) {
        long acc = 0;
        for (int i = 0; i < n; i++) {
            Route route = router.route(endpoint, keys == null ? null : keys[i & (KEYS - 1)]);
            route.statistics().record(1_000_000 + (i & 1023) * 1000L, (i & 127) == 0);
            acc += route.variant().name().length();
        }
        return acc;
    }

    private static void run(String name, Work work) {
        int batch = 100_000;
        for (int round = 0; round < 6; round++) {
            timeRound(work, batch);
        }
        double[] rounds = new double[10];
        for (int round = 0; round < rounds.length; round++) {
            rounds[round] = timeRound(work, batch);
        }
        Arrays.sort(rounds);
        System.out.printf("%-34s %10.1f%n", name, rounds[rounds.length / 2]);
    }

    /** Runs batches for about half a second; nanoseconds per request. */
    private static double timeRound(Work work, int batch) {
        long requests = 0;
        long start = System.nanoTime();
        long elapsed;
        do {
            sink += work.run(batch);
            requests += batch;
            elapsed = System.nanoTime() - start;
        } while (elapsed < ROUND_NANOS);
        return (double) elapsed / requests;
    }
}
