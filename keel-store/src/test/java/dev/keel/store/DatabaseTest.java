package dev.keel.store;

import dev.keel.core.KeelException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Transactions on SQLite go through one writer that commits concurrent work together. */
class DatabaseTest {
    @TempDir
    Path dir;
    Database db;

    @BeforeEach
    void open() {
        db = Database.sqlite(dir.resolve("t.db"));
        db.inTransaction(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE points (id INTEGER PRIMARY KEY, owner TEXT NOT NULL)");
            }
            return null;
        });
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void concurrent_writers_all_commit() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int writer = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        insert(writer * 1000 + i, "w" + writer);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(count()).isEqualTo(1600);
    }

    @Test
    void a_failing_transaction_is_rolled_back_alone_while_its_group_commits() throws Exception {
        CountDownLatch writerBusy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            // hold the writer so that the next two transactions queue up and run as one group
            Future<?> blocker = pool.submit(() -> db.inTransaction(c -> {
                writerBusy.countDown();
                await(release);
                return null;
            }));
            writerBusy.await();
            Future<?> good = pool.submit(() -> insert(1, "good"));
            Future<?> bad = pool.submit(() -> db.inTransaction(c -> {
                insertOn(c, 2, "bad");
                throw KeelException.invalid("'owner' refused");
            }));
            Thread.sleep(100);
            release.countDown();
            blocker.get();
            good.get();
            assertThatThrownBy(bad::get).hasCauseInstanceOf(KeelException.class).hasMessageContaining("'owner' refused");
        } finally {
            pool.shutdown();
        }
        assertThat(owners()).containsExactly("good");
    }

    @Test
    void a_transaction_may_open_another_inside_it() {
        db.inTransaction(c -> {
            insertOn(c, 1, "outer");
            db.inTransaction(inner -> insertOn(inner, 2, "inner"));
            return null;
        });
        assertThat(owners()).containsExactly("outer", "inner");
    }

    @Test
    void an_inner_transaction_that_fails_leaves_the_outer_one_intact() {
        db.inTransaction(c -> {
            insertOn(c, 1, "outer");
            assertThatThrownBy(() -> db.inTransaction(inner -> {
                insertOn(inner, 2, "inner");
                throw KeelException.invalid("no");
            })).isInstanceOf(KeelException.class);
            return null;
        });
        assertThat(owners()).containsExactly("outer");
    }

    @Test
    void a_sql_error_becomes_a_keel_exception_and_stores_nothing() {
        assertThatThrownBy(() -> db.inTransaction(c -> {
            insertOn(c, 1, "first");
            return insertOn(c, 1, "duplicate id");
        })).isInstanceOf(KeelException.class).hasMessageContaining("database error");
        assertThat(count()).isZero();
    }

    private void insert(int id, String owner) {
        db.inTransaction(c -> insertOn(c, id, owner));
    }

    private static Integer insertOn(java.sql.Connection c, int id, String owner) throws java.sql.SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO points (id, owner) VALUES (?, ?)")) {
            s.setInt(1, id);
            s.setString(2, owner);
            return s.executeUpdate();
        }
    }

    private int count() {
        return db.read(c -> {
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT COUNT(*) FROM points")) {
                r.next();
                return r.getInt(1);
            }
        });
    }

    private List<String> owners() {
        return db.read(c -> {
            List<String> owners = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT owner FROM points ORDER BY id")) {
                while (r.next()) {
                    owners.add(r.getString(1));
                }
            }
            return owners;
        });
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
