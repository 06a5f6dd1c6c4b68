package dev.keel.governance.audit;

import dev.keel.api.audit.AuditEvent;
import dev.keel.api.audit.Verification.Intact;
import dev.keel.api.tracking.Metric;
import dev.keel.api.tracking.NewExperiment;
import dev.keel.api.tracking.NewRun;
import dev.keel.api.tracking.Param;
import dev.keel.api.tracking.TrackingService;
import dev.keel.core.Actor;
import dev.keel.core.Ids;
import dev.keel.store.Database;
import dev.keel.store.Dialect;
import dev.keel.store.LocalArtifactStore;
import dev.keel.store.StoreUrl;
import dev.keel.store.TestDatabases;
import dev.keel.store.TestDatabases.TestDatabase;
import dev.keel.tracking.EmbeddedTrackingService;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit trail on PostgreSQL, where audited transactions stage their events and a chainer
 * numbers and hashes them after the commit (skipped without {@code KEEL_TEST_POSTGRES_URL}).
 */
class PostgresAuditTrailTest extends AuditTrailContract {

    @Override
    protected TestDatabase openDatabase(Path dir) {
        return TestDatabases.postgres();
    }

    @Override
    protected int bulkEvents() {
        // the 100,000-event replay runs on SQLite
        return 20_000;
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
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    TrackingService server = w % 2 == 0 ? tracking : secondTracking;
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

            long expected = 2 + writers * (1 + each);
            assertThat(secondAudit.verify()).isInstanceOf(Intact.class)
                    .extracting(v -> ((Intact) v).events()).isEqualTo(expected);
            assertThat(audit.verify()).isInstanceOf(Intact.class);
            assertThat(chained()).isEqualTo(expected);
            assertThat(count()).isEqualTo(expected);
        }
    }

    long chained() {
        return db().read(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT COUNT(*) FROM audit_events");
                 ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        });
    }
}
