package dev.keel.governance.audit;

import dev.keel.api.audit.AuditEvent;
import dev.keel.api.audit.CanonicalJson;
import dev.keel.api.audit.Checkpoint;
import dev.keel.api.audit.Verification;
import dev.keel.core.Actor;
import dev.keel.core.AuditAction;
import dev.keel.core.AuditLog;
import dev.keel.core.Checks;
import dev.keel.core.KeelException;
import dev.keel.store.Database;
import dev.keel.store.Dialect;
import dev.keel.store.SqlWork;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Keel's audit trail: an append-only hash chain in the metadata database, with checkpoints
 * signed by the {@link CheckpointKey} every {@code checkpointEvery} events and on demand.
 *
 * <p>An event is always written inside the caller's transaction, so a transaction that rolls
 * back takes its event with it. How it joins the chain depends on the database:
 * <ul>
 * <li>On SQLite one writer thread runs every transaction, so the append advances the one-row
 *     chain head and inserts the hashed event right there.</li>
 * <li>On PostgreSQL that would hold the head's row lock through every audited commit (and its
 *     WAL flush), so concurrent writers would commit one at a time. Instead the transaction
 *     stages the event ({@code audit_staged}, no lock), and a {@link Chainer} moves committed
 *     staged events into the chain shortly after, in arrival order, numbering and hashing them
 *     under the head's row lock, which also keeps the chainers of several servers on one
 *     database from interleaving. Reading the trail chains whatever is staged first, and
 *     opening it chains what a crashed process left staged.</li>
 * </ul>
 */
public final class AuditTrail implements AuditLog, AutoCloseable {
    public static final int DEFAULT_CHECKPOINT_EVERY = 1000;
    /** Rows a streaming read fetches at a time: enough to keep the cursor busy, never the whole table. */
    static final int FETCH_SIZE = 10_000;

    static final String EVENT_COLUMNS = "seq, recorded_at, actor, action, resource, summary, prev_hash, hash";
    private static final String INSERT_EVENT =
            "INSERT INTO audit_events (" + EVENT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    /** Staged events one chaining transaction moves at most. */
    static final int CHAIN_BATCH = 5_000;

    private final Database db;
    private final CheckpointKey key;
    private final Clock clock;
    private final int checkpointEvery;
    private final ThreadLocal<ChainHash> hashes = ThreadLocal.withInitial(ChainHash::new);
    /** Null on a single-writer database, where appends go straight into the chain. */
    private final Chainer chainer;

    private AuditTrail(Database db, CheckpointKey key, Clock clock, int checkpointEvery) {
        this.db = db;
        this.key = key;
        this.clock = clock;
        this.checkpointEvery = checkpointEvery;
        this.chainer = db.dialect().singleWriter() ? null : new Chainer(this::chainStaged, "keel-audit-chainer");
    }

    /** Migrates the audit tables; checkpoints are signed with {@code key} every {@code checkpointEvery} events. */
    public static AuditTrail open(Database db, CheckpointKey key, Clock clock, int checkpointEvery) {
        Checks.requireNonNull("key", key);
        if (checkpointEvery < 1) {
            throw KeelException.invalid("'checkpointEvery' must be at least 1 (got " + checkpointEvery + ")");
        }
        db.migrate("governance");
        AuditTrail trail = new AuditTrail(db, key, clock, checkpointEvery);
        trail.chainStaged(); // what a process that stopped before chaining left behind
        return trail;
    }

    @Override
    public void record(Connection tx, Actor actor, AuditAction action, String resource, Map<String, ?> summary)
            throws SQLException {
        record(tx, actor, action.wireName(), resource, summary);
    }

    /** Records an event under any action name: the trail itself does not check the catalogue (its tests do not use it). */
    public void record(Connection tx, Actor actor, String action, String resource, Map<String, ?> summary)
            throws SQLException {
        Checks.requireNonNull("actor", actor);
        Checks.requireNonBlank("action", action);
        Checks.requireNonBlank("resource", resource);
        String summaryJson = CanonicalJson.of(summary == null ? Map.of() : summary);
        long now = clock.millis();
        if (chainer != null) {
            stage(tx, now, actor.name(), action, resource, summaryJson);
            chainer.nudge();
            return;
        }
        long seq;
        String prevHash;
        try (PreparedStatement advance = tx.prepareStatement(
                "UPDATE audit_chain_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash");
             ResultSet head = advance.executeQuery()) {
            if (!head.next()) {
                throw new SQLException("the audit chain head is missing (table audit_chain_head has no row 1)");
            }
            seq = head.getLong(1);
            prevHash = head.getString(2);
        }
        AuditEvent event = new AuditEvent(seq, now, actor.name(), action, resource, summaryJson, prevHash, null);
        String hash = hashes.get().next(prevHash, event);
        try (PreparedStatement insert = tx.prepareStatement(INSERT_EVENT)) {
            bind(insert, event, hash);
            insert.executeUpdate();
        }
        try (PreparedStatement head = tx.prepareStatement("UPDATE audit_chain_head SET hash = ? WHERE id = 1")) {
            head.setString(1, hash);
            head.executeUpdate();
        }
        if (seq % checkpointEvery == 0) {
            sign(tx, seq, hash, now);
        }
    }

    private static void bind(PreparedStatement insert, AuditEvent event, String hash) throws SQLException {
        insert.setLong(1, event.seq());
        insert.setLong(2, event.recordedAt());
        insert.setString(3, event.actor());
        insert.setString(4, event.action());
        insert.setString(5, event.resource());
        insert.setString(6, event.summary());
        insert.setString(7, event.prevHash());
        insert.setString(8, hash);
    }

    private static void stage(Connection tx, long now, String actor, String action, String resource, String summary)
            throws SQLException {
        try (PreparedStatement insert = tx.prepareStatement(
                "INSERT INTO audit_staged (recorded_at, actor, action, resource, summary) VALUES (?, ?, ?, ?, ?)")) {
            insert.setLong(1, now);
            insert.setString(2, actor);
            insert.setString(3, action);
            insert.setString(4, resource);
            insert.setString(5, summary);
            insert.executeUpdate();
        }
    }

    /**
     * Moves every staged event whose transaction has committed into the chain now, oldest
     * arrival first, and returns how many it moved (always 0 on SQLite, which stages nothing).
     * Reads of the trail call it first; so does the background chainer.
     */
    public long chainStaged() {
        if (chainer == null || !anyStaged()) {
            return 0;
        }
        long total = 0;
        int moved;
        do {
            moved = db.inTransaction(this::chainBatch);
            total += moved;
        } while (moved == CHAIN_BATCH);
        return total;
    }

    private boolean anyStaged() {
        return db.read(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT 1 FROM audit_staged LIMIT 1");
                 ResultSet rows = select.executeQuery()) {
                return rows.next();
            }
        });
    }

    /**
     * One chaining transaction: takes the head's row lock first, so that only one chainer (of
     * any server) works at a time and every staged row it then sees is its own to move; deletes
     * up to {@link #CHAIN_BATCH} of them and appends them, numbered and hashed in arrival order.
     * Deleting and appending in one transaction means an event is never lost or chained twice.
     */
    private int chainBatch(Connection tx) throws SQLException {
        long seq;
        String hash;
        try (PreparedStatement hold = tx.prepareStatement(
                "UPDATE audit_chain_head SET seq = seq WHERE id = 1 RETURNING seq, hash");
             ResultSet head = hold.executeQuery()) {
            if (!head.next()) {
                throw new SQLException("the audit chain head is missing (table audit_chain_head has no row 1)");
            }
            seq = head.getLong(1);
            hash = head.getString(2);
        }
        List<Staged> staged = new ArrayList<>();
        try (PreparedStatement take = tx.prepareStatement("DELETE FROM audit_staged WHERE arrival IN"
                + " (SELECT arrival FROM audit_staged ORDER BY arrival LIMIT " + CHAIN_BATCH + ")"
                + " RETURNING arrival, recorded_at, actor, action, resource, summary");
             ResultSet rows = take.executeQuery()) {
            while (rows.next()) {
                staged.add(new Staged(rows.getLong(1), rows.getLong(2), rows.getString(3), rows.getString(4),
                        rows.getString(5), rows.getString(6)));
            }
        }
        if (staged.isEmpty()) {
            return 0;
        }
        staged.sort(Comparator.comparingLong(Staged::arrival)); // RETURNING promises no order
        ChainHash chainHash = hashes.get();
        List<AuditEvent> toSign = new ArrayList<>();
        try (PreparedStatement insert = tx.prepareStatement(INSERT_EVENT)) {
            for (Staged next : staged) {
                seq++;
                AuditEvent event = new AuditEvent(seq, next.recordedAt(), next.actor(), next.action(), next.resource(),
                        next.summary(), hash, null);
                hash = chainHash.next(event.prevHash(), event);
                bind(insert, event, hash);
                insert.addBatch();
                if (seq % checkpointEvery == 0) {
                    toSign.add(new AuditEvent(seq, event.recordedAt(), event.actor(), event.action(), event.resource(),
                            event.summary(), event.prevHash(), hash));
                }
            }
            insert.executeBatch();
        }
        long now = clock.millis();
        for (AuditEvent event : toSign) {
            sign(tx, event.seq(), event.hash(), now);
        }
        try (PreparedStatement head = tx.prepareStatement("UPDATE audit_chain_head SET seq = ?, hash = ? WHERE id = 1")) {
            head.setLong(1, seq);
            head.setString(2, hash);
            head.executeUpdate();
        }
        return staged.size();
    }

    /**
     * Signs the chain's head now, so nothing up to it can be rewritten unnoticed, and returns
     * the checkpoint (the existing one if the head is already signed).
     */
    public Checkpoint checkpoint() {
        chainStaged();
        return db.inTransaction(tx -> {
            long seq;
            String hash;
            // a no-op update: on PostgreSQL it holds the head still until this checkpoint is written
            try (PreparedStatement hold = tx.prepareStatement(
                    "UPDATE audit_chain_head SET seq = seq WHERE id = 1 RETURNING seq, hash");
                 ResultSet head = hold.executeQuery()) {
                head.next();
                seq = head.getLong(1);
                hash = head.getString(2);
            }
            if (seq == 0) {
                throw KeelException.invalid("the audit trail has no events yet; there is nothing to sign");
            }
            List<Checkpoint> existing = checkpoints(tx, "WHERE seq = " + seq);
            return existing.isEmpty() ? sign(tx, seq, hash, clock.millis()) : existing.get(0);
        });
    }

    private Checkpoint sign(Connection tx, long seq, String hash, long now) throws SQLException {
        Checkpoint unsigned = new Checkpoint(seq, hash, now, key.id(), null);
        Checkpoint signed = new Checkpoint(seq, hash, now, key.id(), key.sign(unsigned.signedText()));
        try (PreparedStatement insert = tx.prepareStatement(
                "INSERT INTO audit_checkpoints (seq, hash, signed_at, key_id, signature) VALUES (?, ?, ?, ?, ?)")) {
            insert.setLong(1, seq);
            insert.setString(2, hash);
            insert.setLong(3, now);
            insert.setString(4, signed.keyId());
            insert.setString(5, signed.signature());
            insert.executeUpdate();
        }
        return signed;
    }

    /**
     * Replays the whole chain from its first event: every hash, every link, every checkpoint.
     * Reads one consistent snapshot, streaming, so the trail may grow meanwhile.
     */
    public Verification verify() {
        chainStaged();
        return snapshot(connection -> new ChainReplay(key, hashes.get()).replay(connection));
    }

    /**
     * The last {@code limit} events, oldest first; with a {@code resource}, only the events
     * about it and about what lies under it ({@code model/m} finds {@code model/m/version/1}).
     */
    public List<AuditEvent> latest(String resource, int limit) {
        if (limit < 1) {
            throw KeelException.invalid("'limit' must be at least 1 (got " + limit + ")");
        }
        chainStaged();
        boolean filtered = resource != null && !resource.isBlank();
        String sql = "SELECT " + EVENT_COLUMNS + " FROM audit_events"
                + (filtered ? " WHERE resource = ? OR substr(resource, 1, ?) = ?" : "")
                + " ORDER BY seq DESC LIMIT ?";
        List<AuditEvent> events = db.read(connection -> {
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                int i = 1;
                if (filtered) {
                    String under = resource + "/";
                    select.setString(i++, resource);
                    select.setInt(i++, under.length());
                    select.setString(i++, under);
                }
                select.setInt(i, limit);
                List<AuditEvent> found = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        found.add(event(rows));
                    }
                }
                return found;
            }
        });
        Collections.reverse(events);
        return events;
    }

    /** Streams every event recorded at or after {@code sinceMillis}, in chain order, to {@code sink}; returns how many. */
    public long export(long sinceMillis, Consumer<AuditEvent> sink) {
        chainStaged();
        return snapshot(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT " + EVENT_COLUMNS
                    // no event at or after 'since': MIN is NULL, so is every comparison, and nothing is exported
                    + " FROM audit_events WHERE seq >= (SELECT MIN(seq) FROM audit_events WHERE recorded_at >= ?)"
                    + " ORDER BY seq")) {
                select.setFetchSize(FETCH_SIZE);
                select.setLong(1, sinceMillis);
                long count = 0;
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        sink.accept(event(rows));
                        count++;
                    }
                }
                return count;
            }
        });
    }

    /** The newest checkpoint, or null before the first. */
    public Checkpoint lastCheckpoint() {
        List<Checkpoint> last = db.read(connection -> checkpoints(connection, "ORDER BY seq DESC LIMIT 1"));
        return last.isEmpty() ? null : last.get(0);
    }

    /** Which key signs this trail's checkpoints. */
    public String keyId() {
        return key.id();
    }

    /**
     * Stops this trail's background chaining, before its database closes. Whatever is staged
     * then stays staged until a trail on the same database is opened or read.
     */
    @Override
    public void close() {
        if (chainer != null) {
            chainer.close();
        }
    }

    static AuditEvent event(ResultSet rows) throws SQLException {
        return new AuditEvent(rows.getLong(1), rows.getLong(2), rows.getString(3), rows.getString(4), rows.getString(5),
                rows.getString(6), rows.getString(7), rows.getString(8));
    }

    static List<Checkpoint> checkpoints(Connection connection, String clause) throws SQLException {
        List<Checkpoint> found = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT seq, hash, signed_at, key_id, signature FROM audit_checkpoints " + clause);
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                found.add(new Checkpoint(rows.getLong(1), rows.getString(2), rows.getLong(3), rows.getString(4),
                        rows.getString(5)));
            }
        }
        return found;
    }

    /** An event as staged: everything but its place in the chain. */
    private record Staged(long arrival, long recordedAt, String actor, String action, String resource, String summary) {
    }

    /**
     * Runs {@code work} in one read-only snapshot with a forward-only cursor: PostgreSQL streams
     * a result set only inside a transaction, and its default isolation would let each query
     * see a different moment.
     */
    private <T> T snapshot(SqlWork<T> work) {
        return db.read(connection -> {
            boolean postgres = db.dialect() == Dialect.POSTGRESQL;
            int isolation = connection.getTransactionIsolation();
            connection.setAutoCommit(false);
            if (postgres) {
                connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            }
            try {
                return work.run(connection);
            } finally {
                connection.rollback();
                if (postgres) {
                    connection.setTransactionIsolation(isolation);
                }
                connection.setAutoCommit(true);
            }
        });
    }
}
