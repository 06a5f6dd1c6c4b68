package dev.keel.governance.audit;

import dev.keel.api.Tag;
import dev.keel.api.audit.AuditEvent;
import dev.keel.api.audit.Checkpoint;
import dev.keel.api.audit.Verification;
import dev.keel.api.audit.Verification.Breach;
import dev.keel.api.audit.Verification.Broken;
import dev.keel.api.audit.Verification.Intact;
import dev.keel.api.registry.NewRegisteredModel;
import dev.keel.api.registry.RegistryService;
import dev.keel.api.registry.Stage;
import dev.keel.api.tracking.LogBatch;
import dev.keel.api.tracking.Metric;
import dev.keel.api.tracking.NewExperiment;
import dev.keel.api.tracking.NewRun;
import dev.keel.api.tracking.Param;
import dev.keel.api.tracking.TrackingService;
import dev.keel.core.Actor;
import dev.keel.core.ErrorCode;
import dev.keel.core.Ids;
import dev.keel.core.KeelException;
import dev.keel.governance.audit.sql.JdbcAuditStore;
import dev.keel.registry.EmbeddedRegistryService;
import dev.keel.registry.TrainedModel;
import dev.keel.store.Database;
import dev.keel.store.Dialect;
import dev.keel.store.LocalArtifactStore;
import dev.keel.store.StoreUrl;
import dev.keel.store.TestDatabases;
import dev.keel.store.TestDatabases.Kind;
import dev.keel.store.TestDatabases.TestDatabase;
import dev.keel.tracking.EmbeddedTrackingService;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The audit trail on a real store, fed by the real tracking and registry services, and then
 * tampered with directly in the database the way an insider would; on SQLite, where one writer
 * thread orders every append, and on PostgreSQL, where audited transactions stage their events
 * and a chainer numbers and hashes them after the commit (skipped without
 * {@code KEEL_TEST_POSTGRES_URL}).
 */
@ParameterizedClass
@EnumSource(Kind.class)
class AuditTrailTest {
    /** Small, so the tests cross several checkpoints. */
    static final int CHECKPOINT_EVERY = 10;

    protected final Actor alice = new Actor("alice");
    protected final Actor bob = new Actor("bob");

    @Parameter
    Kind kind;
    @TempDir
    Path dir;
    TestDatabase database;
    CheckpointKey key;
    AuditTrail audit;
    TrackingService tracking;
    RegistryService registry;

    /** How many events the bulk-verification test appends: the 100,000-event replay runs on SQLite. */
    int bulkEvents() {
        return kind == Kind.SQLITE ? 100_000 : 20_000;
    }

    @BeforeEach
    void open() {
        database = TestDatabases.open(kind, dir);
        key = CheckpointKey.openOrCreate(dir.resolve("keys"));
        audit = AuditTrail.open(db(), key, Clock.systemUTC(), CHECKPOINT_EVERY);
        LocalArtifactStore artifacts = new LocalArtifactStore(dir.resolve("artifacts"));
        tracking = EmbeddedTrackingService.open(db(), artifacts, Clock.systemUTC(), new Ids(new Random(3)), audit);
        registry = EmbeddedRegistryService.open(db(), artifacts, tracking, Clock.systemUTC(), audit);
    }

    @AfterEach
    void close() {
        if (database == null) {
            return; // PostgreSQL was skipped
        }
        if (audit != null) {
            audit.close();
        }
        database.close();
    }

    Database db() {
        return database.database();
    }

    // what is recorded

    @Test
    void tracking_changes_are_recorded_with_their_actor_action_and_resource() {
        String experiment = tracking.createExperiment(alice, NewExperiment.named("churn")).experimentId();
        String run = tracking.createRun(alice, NewRun.in(experiment)).info().runId();
        List<Metric> metrics = IntStream.range(0, 997).mapToObj(i -> new Metric("loss", 1.0 / (i + 1), 1000L + i, i)).toList();
        tracking.logBatch(bob, run, new LogBatch(metrics,
                List.of(new Param("lr", "0.01"), new Param("epochs", "3"), new Param("seed", "7")), List.of()));
        tracking.setTag(bob, run, new Tag("team", "risk"));
        tracking.getRun(alice, run); // reads are not recorded

        List<AuditEvent> events = audit.latest(null, 100);
        assertThat(events).extracting(AuditEvent::actor, AuditEvent::action, AuditEvent::resource).containsExactly(
                org.assertj.core.groups.Tuple.tuple("keel", "experiment.create", "experiment/0"),
                org.assertj.core.groups.Tuple.tuple("alice", "experiment.create", "experiment/" + experiment),
                org.assertj.core.groups.Tuple.tuple("alice", "run.create", "run/" + run),
                org.assertj.core.groups.Tuple.tuple("bob", "run.log_batch", "run/" + run),
                org.assertj.core.groups.Tuple.tuple("bob", "run.set_tag", "run/" + run));
        assertThat(events.get(3).summary()).isEqualTo("{\"metrics\":997,\"params\":3,\"tags\":0}");
        assertThat(events.get(4).summary()).isEqualTo("{\"key\":\"team\",\"value\":\"risk\"}");
        assertThat(events).extracting(AuditEvent::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void registry_changes_are_recorded_under_the_model() throws Exception {
        registry.createRegisteredModel(alice, NewRegisteredModel.named("scorer"));
        Path files = Files.createDirectories(dir.resolve("model"));
        Files.write(files.resolve("model.onnx"), TrainedModel.onnx());
        registry.createModelVersionFromDirectory(alice, "scorer", files, "first", List.of());
        registry.setAlias(bob, "scorer", "champion", 1);
        registry.transitionStage(bob, "scorer", 1, Stage.STAGING, false);
        registry.getModelVersion(bob, "scorer", 1); // a read

        List<AuditEvent> events = audit.latest("model/scorer", 100);
        assertThat(events).extracting(AuditEvent::actor, AuditEvent::action, AuditEvent::resource).containsExactly(
                org.assertj.core.groups.Tuple.tuple("alice", "registered_model.create", "model/scorer"),
                org.assertj.core.groups.Tuple.tuple("alice", "model_version.create", "model/scorer/version/1"),
                org.assertj.core.groups.Tuple.tuple("bob", "model_alias.set", "model/scorer/alias/champion"),
                org.assertj.core.groups.Tuple.tuple("bob", "model_version.transition_stage", "model/scorer/version/1"));
        assertThat(events.get(1).summary()).contains("\"files\":1", "\"flavor\":\"onnx\"");
        assertThat(events.get(3).summary()).isEqualTo("{\"archive_existing_versions\":false,\"stage\":\"Staging\"}");
        assertThat(audit.latest("model/scorer/version/1", 100)).hasSize(2);
        assertThat(audit.latest("model/score", 100)).as("a prefix that is not a whole path segment").isEmpty();
    }

    @Test
    void a_change_that_fails_leaves_no_event() {
        String run = tracking.createRun(alice, NewRun.in("0")).info().runId();
        tracking.logParam(alice, run, new Param("lr", "0.01"));
        long before = count();

        assertThatThrownBy(() -> tracking.logParam(alice, run, new Param("lr", "0.02")))
                .isInstanceOf(KeelException.class).hasMessageContaining("'lr'");
        assertThatThrownBy(() -> registry.setAlias(alice, "no-such-model", "champion", 1))
                .isInstanceOf(KeelException.class);

        assertThat(count()).isEqualTo(before);
        tracking.logParam(alice, run, new Param("epochs", "3"));
        assertThat(audit.verify()).isEqualTo(new Intact(before + 1, null));
    }

    @Test
    void an_intact_chain_verifies_up_to_its_last_checkpoint() {
        String run = tracking.createRun(alice, NewRun.in("0")).info().runId();
        for (int i = 0; i < 25; i++) {
            tracking.logMetric(alice, run, new Metric("auc", 0.5 + i / 100.0, 1000L + i, i));
        }

        Verification verification = audit.verify();

        assertThat(verification).isInstanceOf(Intact.class);
        Intact intact = (Intact) verification;
        assertThat(intact.events()).isEqualTo(27);
        assertThat(intact.lastCheckpoint().seq()).isEqualTo(20);
        assertThat(intact.lastCheckpoint().keyId()).isEqualTo(key.id());
    }

    @Test
    void a_checkpoint_on_demand_signs_the_head() {
        tracking.createRun(alice, NewRun.in("0"));

        Checkpoint signed = audit.checkpoint();

        assertThat(signed.seq()).isEqualTo(2);
        assertThat(audit.checkpoint()).as("signing an already signed head again").isEqualTo(signed);
        assertThat(audit.verify()).isEqualTo(new Intact(2, signed));
    }

    // tampering

    static Stream<Arguments> tampered_events() {
        return Stream.of(
                arguments("an edited summary breaks the chain at exactly that event", 30,
                        List.of("UPDATE audit_events SET summary = '{\"metrics\":1}' WHERE seq = 17"), 17, Breach.ALTERED),
                arguments("an edited actor breaks the chain at exactly that event", 5,
                        List.of("UPDATE audit_events SET actor = 'mallory' WHERE seq = 3"), 3, Breach.ALTERED),
                arguments("a deleted event breaks the chain at its number", 30,
                        List.of("DELETE FROM audit_events WHERE seq = 12"), 12, Breach.REMOVED),
                arguments("deleting the newest events is noticed", 25,
                        List.of("DELETE FROM audit_events WHERE seq >= 24"), 24, Breach.REMOVED),
                arguments("swapped events are reported as reordered", 30,
                        List.of("UPDATE audit_events SET seq = -1 WHERE seq = 14",
                                "UPDATE audit_events SET seq = 14 WHERE seq = 16",
                                "UPDATE audit_events SET seq = 16 WHERE seq = -1"), 14, Breach.REORDERED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void tampered_events(String what, int events, List<String> tampering, long brokenAt, Breach breach) {
        appendEvents(events);

        tampering.forEach(this::execute);

        assertBroken(brokenAt, breach);
    }

    @Test
    void a_forged_checkpoint_signature_is_refused() {
        appendEvents(30);
        Checkpoint genuine = checkpointAt(20);
        String forged = CheckpointKey.inMemory().sign(genuine.signedText());

        execute("UPDATE audit_checkpoints SET signature = '" + forged + "' WHERE seq = 20");

        assertBroken(20, Breach.CHECKPOINT_INVALID);
    }

    @Test
    void a_chain_rewritten_after_an_edit_is_caught_by_the_next_signed_checkpoint() throws Exception {
        appendEvents(30);

        // the insider edits event 13 and recomputes every hash after it, head included; only the key is out of reach
        execute("UPDATE audit_events SET summary = '{\"metrics\":1}' WHERE seq = 13");
        List<AuditEvent> events = new ArrayList<>();
        audit.export(0, events::add);
        ChainHash hash = new ChainHash();
        String running = ChainHash.GENESIS;
        for (AuditEvent event : events) {
            AuditEvent relinked = new AuditEvent(event.seq(), event.recordedAt(), event.actor(), event.action(),
                    event.resource(), event.summary(), running, null);
            running = hash.next(running, relinked);
            execute("UPDATE audit_events SET prev_hash = '" + relinked.prevHash() + "', hash = '" + running
                    + "' WHERE seq = " + event.seq());
        }
        execute("UPDATE audit_chain_head SET hash = '" + running + "' WHERE id = 1");

        assertBroken(20, Breach.CHECKPOINT_INVALID);
    }

    // the format

    @Test
    void every_event_is_stored_with_the_format_it_was_hashed_in() {
        appendEvents(12);

        assertThat(number("SELECT COUNT(*) FROM audit_events WHERE format = 1")).isEqualTo(13).isEqualTo(count());
    }

    @Test
    void an_event_in_a_format_this_keel_does_not_know_is_reported_as_such_not_as_altered() {
        appendEvents(5);

        // as a newer Keel would write it: another format, so (as far as this Keel can tell) another hash
        execute("UPDATE audit_events SET format = 2, summary = '{\"metrics\":1}' WHERE seq = 3");

        assertThatThrownBy(audit::verify).isInstanceOf(KeelException.class)
                .hasMessageContaining("audit event 3 was written in audit format 2")
                .hasMessageContaining("knows format 1")
                .extracting(e -> ((KeelException) e).code()).isEqualTo(ErrorCode.NOT_IMPLEMENTED);
        execute("UPDATE audit_events SET format = 1 WHERE seq = 3");
        assertBroken(3, Breach.ALTERED);
    }

    // scale and concurrency

    @Test
    void concurrent_writers_keep_one_unbroken_chain() throws Exception {
        String experiment = tracking.createExperiment(alice, NewExperiment.named("busy")).experimentId();
        int writers = 8;
        int each = 40;
        writeConcurrently(experiment, writers, each, w -> tracking);

        long expected = 2 + writers * (1 + each);
        assertThat(audit.verify()).isInstanceOf(Intact.class).extracting(v -> ((Intact) v).events()).isEqualTo(expected);
        assertThat(count()).isEqualTo(expected);
    }

    @Test
    void verification_replays_a_large_chain() {
        int total = bulkEvents();
        int perTransaction = 1000;
        // checkpoints as often as in production: a signature every 10 events would dominate the run
        audit.close();
        audit = AuditTrail.open(db(), key, Clock.systemUTC(), AuditTrail.DEFAULT_CHECKPOINT_EVERY);
        Map<String, Object> summary = Map.of("metrics", 1000, "params", 3, "tags", 0);
        for (int done = 0; done < total; done += perTransaction) {
            int n = Math.min(perTransaction, total - done);
            db().inTransaction(tx -> {
                for (int i = 0; i < n; i++) {
                    audit.record(tx, alice, "run.log_batch", "run/0123456789abcdef0123456789abcdef", summary);
                }
                return null;
            });
        }

        Verification verification = audit.verify();

        assertThat(verification).isInstanceOf(Intact.class);
        assertThat(((Intact) verification).events()).isEqualTo(total + 1);
        assertThat(((Intact) verification).lastCheckpoint().seq())
                .isEqualTo((total + 1) / AuditTrail.DEFAULT_CHECKPOINT_EVERY * AuditTrail.DEFAULT_CHECKPOINT_EVERY);
    }

    @Test
    void export_streams_every_event_from_a_time_on_in_chain_order() {
        appendEvents(12);
        long since = audit.latest(null, 100).get(5).recordedAt();

        List<AuditEvent> exported = new ArrayList<>();
        long count = audit.export(since, exported::add);

        assertThat(count).isEqualTo(exported.size());
        assertThat(exported).isNotEmpty();
        assertThat(exported.get(exported.size() - 1).seq()).isEqualTo(13);
        assertThat(exported).extracting(AuditEvent::seq).isSorted();
        assertThat(exported.get(0).jsonLine()).startsWith("{\"seq\":" + exported.get(0).seq() + ",\"time\":\"");
    }

    @Test
    void export_from_after_the_last_event_is_empty() {
        appendEvents(3);
        long after = audit.latest(null, 1).get(0).recordedAt() + 1;

        List<AuditEvent> exported = new ArrayList<>();
        long count = audit.export(after, exported::add);

        assertThat(count).isZero();
        assertThat(exported).isEmpty();
    }

    // PostgreSQL only

    /** Staging and chaining: on SQLite nothing is staged, appends go straight into the chain. */
    @Nested
    class Staged {

        @BeforeEach
        void onPostgresql() {
            assumeTrue(kind == Kind.POSTGRESQL, "only PostgreSQL stages events");
        }

        @Test
        void events_a_stopped_server_left_staged_are_chained_by_the_next_trail_in_arrival_order() {
            String run = tracking.createRun(alice, NewRun.in("0")).info().runId();
            audit.verify();
            audit.close(); // the server stops chaining, as if it had crashed after these commits
            tracking.logParam(alice, run, new Param("lr", "0.01"));
            tracking.logParam(bob, run, new Param("epochs", "3"));
            assertThat(chained()).isEqualTo(2);
            assertThat(count()).isEqualTo(4);

            audit = AuditTrail.open(db(), key, Clock.systemUTC(), CHECKPOINT_EVERY);

            assertThat(chained()).isEqualTo(4);
            assertThat(audit.latest(null, 2)).extracting(AuditEvent::seq, AuditEvent::actor, AuditEvent::summary)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(3L, "alice", "{\"key\":\"lr\",\"value\":\"0.01\"}"),
                            org.assertj.core.groups.Tuple.tuple(4L, "bob", "{\"key\":\"epochs\",\"value\":\"3\"}"));
            assertThat(audit.verify()).isEqualTo(new Intact(4, null));
        }

        @Test
        void two_servers_on_one_database_keep_one_unbroken_chain() throws Exception {
            String url = ((HikariDataSource) db().dataSource()).getJdbcUrl();
            try (Database second = Database.open(new StoreUrl(Dialect.POSTGRESQL, url));
                 AuditTrail secondAudit = AuditTrail.open(second, key, Clock.systemUTC(), CHECKPOINT_EVERY)) {
                TrackingService secondTracking = EmbeddedTrackingService.open(second,
                        new LocalArtifactStore(dir.resolve("artifacts")), Clock.systemUTC(), new Ids(new Random(4)), secondAudit);
                String experiment = tracking.createExperiment(alice, NewExperiment.named("shared")).experimentId();
                int writers = 6;
                int each = 30;
                writeConcurrently(experiment, writers, each, w -> w % 2 == 0 ? tracking : secondTracking);

                long expected = 2 + writers * (1 + each);
                assertThat(secondAudit.verify()).isInstanceOf(Intact.class)
                        .extracting(v -> ((Intact) v).events()).isEqualTo(expected);
                assertThat(audit.verify()).isInstanceOf(Intact.class);
                assertThat(chained()).isEqualTo(expected);
                assertThat(count()).isEqualTo(expected);
            }
        }

        @Test
        void a_staged_event_in_a_format_this_keel_does_not_know_stays_staged_and_is_reported_as_such() {
            String run = tracking.createRun(alice, NewRun.in("0")).info().runId();
            audit.verify();
            audit.close(); // nothing chains in the background: the test chains by hand
            tracking.logParam(alice, run, new Param("lr", "0.01"));
            assertThat(number("SELECT format FROM audit_staged")).as("staged as this Keel's format").isEqualTo(1);

            execute("UPDATE audit_staged SET format = 2"); // as a newer Keel on the same database would stage it

            assertThatThrownBy(audit::chainStaged).isInstanceOf(KeelException.class)
                    .hasMessageContaining("the event staged at arrival").hasMessageContaining("audit format 2")
                    .extracting(e -> ((KeelException) e).code()).isEqualTo(ErrorCode.NOT_IMPLEMENTED);
            assertThat(chained()).isEqualTo(2);
            assertThat(count()).as("still staged, not lost").isEqualTo(3);

            execute("UPDATE audit_staged SET format = 1");
            assertThat(audit.chainStaged()).isEqualTo(1);
            assertThat(audit.verify()).isEqualTo(new Intact(3, null));
        }

        long chained() {
            return number("SELECT COUNT(*) FROM audit_events");
        }
    }

    // helpers

    /** Appends {@code n} events through the tracking service (after the default experiment's event 1). */
    void appendEvents(int n) {
        String run = tracking.createRun(alice, NewRun.in("0")).info().runId();
        for (int i = 1; i < n; i++) {
            tracking.logMetric(alice, run, new Metric("auc", i, 1000L + i, i));
        }
        audit.chainStaged(); // what is tampered with below is the chain itself
    }

    void assertBroken(long seq, Breach breach) {
        Verification verification = audit.verify();
        assertThat(verification).isInstanceOf(Broken.class);
        Broken broken = (Broken) verification;
        assertThat(broken.seq()).as(broken.reason()).isEqualTo(seq);
        assertThat(broken.breach()).as(broken.reason()).isEqualTo(breach);
    }

    Checkpoint checkpointAt(long seq) {
        return db().read(connection -> new JdbcAuditStore(connection).checkpointAt(seq)).orElseThrow();
    }

    /** Every event written, chained or (on PostgreSQL) still staged: one statement, one snapshot. */
    long count() {
        return number("SELECT (SELECT COUNT(*) FROM audit_events) + (SELECT COUNT(*) FROM audit_staged)");
    }

    /** The one number {@code sql} selects. */
    long number(String sql) {
        return db().read(connection -> {
            try (PreparedStatement select = connection.prepareStatement(sql); ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        });
    }

    /** {@code writers} threads each create a run and log {@code each} metrics to it, through {@code serverOf(writer)}. */
    void writeConcurrently(String experiment, int writers, int each, IntFunction<TrackingService> serverOf)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                TrackingService server = serverOf.apply(w);
                Actor actor = new Actor("writer-" + w);
                done.add(pool.submit(() -> {
                    String run = server.createRun(actor, NewRun.in(experiment)).info().runId();
                    for (int i = 0; i < each; i++) {
                        server.logMetric(actor, run, new Metric("loss", i, 1000L + i, i));
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    void execute(String sql) {
        db().inTransaction(connection -> {
            try (Statement statement = connection.createStatement()) {
                return statement.executeUpdate(sql);
            }
        });
    }
}
