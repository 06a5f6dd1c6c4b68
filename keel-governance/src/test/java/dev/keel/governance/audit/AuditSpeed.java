package dev.keel.governance.audit;

import dev.keel.api.audit.Verification;
import dev.keel.api.tracking.LogBatch;
import dev.keel.api.tracking.Metric;
import dev.keel.api.tracking.NewRun;
import dev.keel.core.Actor;
import dev.keel.core.AuditLog;
import dev.keel.core.Ids;
import dev.keel.store.LocalArtifactStore;
import dev.keel.store.TestDatabases;
import dev.keel.store.TestDatabases.TestDatabase;
import dev.keel.tracking.EmbeddedTrackingService;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

/**
 * The two speed figures of issue 4, measured in-process (not a test: no timing thresholds in
 * tests). {@code verify N} appends N events and times one full replay; {@code batch SECONDS}
 * compares log-batch throughput (1000 metrics per call, 4 clients) with auditing off and on,
 * in alternating rounds on fresh stores, and reports the medians. PostgreSQL instead of SQLite with {@code --postgres}
 * (and {@code KEEL_TEST_POSTGRES_URL}).
 */
public final class AuditSpeed {
    private static final Actor BENCH = new Actor("bench");

    private AuditSpeed() {
    }

    public static void main(String[] args) throws Exception {
        boolean postgres = List.of(args).contains("--postgres");
        Path dir = Files.createTempDirectory("keel-audit-speed");
        if (args[0].equals("verify")) {
            verify(dir, postgres, Integer.parseInt(args[1]));
        } else {
            batch(dir, postgres, Integer.parseInt(args[1]));
        }
    }

    private static TestDatabase open(Path dir, boolean postgres) {
        return postgres ? TestDatabases.postgres() : TestDatabases.sqlite(dir);
    }

    private static void verify(Path dir, boolean postgres, int events) {
        try (TestDatabase database = open(dir, postgres)) {
            AuditTrail audit = AuditTrail.open(database.database(), CheckpointKey.openOrCreate(dir.resolve("keys")),
                    Clock.systemUTC(), AuditTrail.DEFAULT_CHECKPOINT_EVERY);
            Actor alice = new Actor("alice");
            Map<String, Object> summary = Map.of("metrics", 1000, "params", 3, "tags", 0);
            long start = System.nanoTime();
            for (int done = 0; done < events; done += 1000) {
                database.database().inTransaction(tx -> {
                    for (int i = 0; i < 1000; i++) {
                        audit.record(tx, alice, "run.log_batch", "run/0123456789abcdef0123456789abcdef", summary);
                    }
                    return null;
                });
            }
            System.out.printf("appended %,d events in %.1f s%n", events, (System.nanoTime() - start) / 1e9);
            for (int round = 0; round < 3; round++) {
                start = System.nanoTime();
                Verification verification = audit.verify();
                System.out.printf("verify: %s in %.2f s%n", verification, (System.nanoTime() - start) / 1e9);
            }
            audit.close();
        }
    }

    private static void batch(Path dir, boolean postgres, int seconds) throws Exception {
        List<Metric> metrics = IntStream.range(0, 1000).mapToObj(i -> new Metric("m" + (i % 10), i, 1000L + i, i)).toList();
        LogBatch batch = LogBatch.ofMetrics(metrics);
        // a first round of each, uncounted, so both paths are compiled before anything is measured
        round(dir.resolve("warm-off"), postgres, false, batch, seconds);
        round(dir.resolve("warm-on"), postgres, true, batch, seconds);
        int rounds = 5;
        double[] offs = new double[rounds];
        double[] ons = new double[rounds];
        for (int round = 0; round < rounds; round++) {
            offs[round] = round(dir.resolve("off-" + round), postgres, false, batch, seconds);
            ons[round] = round(dir.resolve("on-" + round), postgres, true, batch, seconds);
            System.out.printf("round %d: off %,.0f metrics/s, on %,.0f metrics/s%n", round + 1, offs[round], ons[round]);
        }
        double off = median(offs);
        double on = median(ons);
        System.out.printf("log-batch, 1000 metrics/call, 4 clients, median of %d rounds: off %,.0f, on %,.0f metrics/s (%+.1f%%)%n",
                rounds, off, on, (on - off) / off * 100);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static double round(Path dir, boolean postgres, boolean audited, LogBatch batch, int seconds) throws Exception {
        Files.createDirectories(dir);
        try (TestDatabase database = open(dir, postgres)) {
            AuditTrail trail = audited ? AuditTrail.open(database.database(), CheckpointKey.openOrCreate(dir.resolve("keys")),
                    Clock.systemUTC(), AuditTrail.DEFAULT_CHECKPOINT_EVERY) : null;
            AuditLog audit = audited ? trail : AuditLog.NONE;
            EmbeddedTrackingService tracking = EmbeddedTrackingService.open(database.database(),
                    new LocalArtifactStore(dir.resolve("artifacts")), Clock.systemUTC(), new Ids(new Random(1)), audit);
            {
                String run = tracking.createRun(BENCH, NewRun.in("0")).info().runId();
                for (int i = 0; i < 20; i++) {
                    tracking.logBatch(BENCH, run, batch); // warm-up
                }
                AtomicBoolean stop = new AtomicBoolean();
                ExecutorService clients = Executors.newFixedThreadPool(4);
                List<Future<Long>> calls = new ArrayList<>();
                long start = System.nanoTime();
                for (int c = 0; c < 4; c++) {
                    calls.add(clients.submit(() -> {
                        long n = 0;
                        while (!stop.get()) {
                            tracking.logBatch(BENCH, run, batch);
                            n++;
                        }
                        return n;
                    }));
                }
                Thread.sleep(seconds * 1000L);
                stop.set(true);
                long total = 0;
                for (Future<Long> call : calls) {
                    total += call.get();
                }
                if (trail != null) {
                    // on PostgreSQL the chaining still to do counts too: the round ends with every event chained
                    long late = trail.chainStaged();
                    trail.close();
                    if (late > 0) {
                        System.out.printf("  %d events were still staged at the end of the round%n", late);
                    }
                }
                double elapsed = (System.nanoTime() - start) / 1e9;
                clients.shutdown();
                return total * batch.metrics().size() / elapsed;
            }
        }
    }
}
