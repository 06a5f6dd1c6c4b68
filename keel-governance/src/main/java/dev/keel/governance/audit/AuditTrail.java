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
import dev.keel.governance.audit.sql.AuditTables;
import dev.keel.governance.audit.sql.EventCursor;
import dev.keel.governance.audit.sql.JdbcAuditStore;
import dev.keel.governance.audit.sql.JdbcAuditStore.Head;
import dev.keel.governance.audit.sql.JdbcAuditStore.Staged;
import dev.keel.store.Database;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    /** Staged events one chaining transaction moves at most. */
    static final int CHAIN_BATCH = 5_000;

    private final AuditTables tables;
    private final CheckpointKey key;
    private final Clock clock;
    private final int checkpointEvery;
    private final ThreadLocal<ChainHash> hashes = ThreadLocal.withInitial(ChainHash::new);
    /** Null on a single-writer database, where appends go straight into the chain. */
    private final Chainer chainer;

    private AuditTrail(Database db, CheckpointKey key, Clock clock, int checkpointEvery) {
        this.tables = new AuditTables(db);
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
        JdbcAuditStore store = new JdbcAuditStore(tx);
        if (chainer != null) {
            store.stage(now, actor.name(), action, resource, summaryJson, ChainHash.FORMAT);
            chainer.nudge();
            return;
        }
        Head head = store.advanceHead();
        AuditEvent event = hashed(new AuditEvent(head.seq(), now, actor.name(), action, resource, summaryJson,
                head.hash(), null));
        store.append(event, ChainHash.FORMAT);
        store.moveHead(new Head(event.seq(), event.hash()));
        if (event.seq() % checkpointEvery == 0) {
            sign(store, event.seq(), event.hash(), now);
        }
    }

    /** {@code event} with its hash, which follows its previous hash. */
    private AuditEvent hashed(AuditEvent event) {
        String hash = hashes.get().next(event.prevHash(), event);
        return new AuditEvent(event.seq(), event.recordedAt(), event.actor(), event.action(), event.resource(),
                event.summary(), event.prevHash(), hash);
    }

    /**
     * Moves every staged event whose transaction has committed into the chain now, oldest
     * arrival first, and returns how many it moved (always 0 on SQLite, which stages nothing).
     * Reads of the trail call it first; so does the background chainer.
     */
    public long chainStaged() {
        if (chainer == null || !tables.read(JdbcAuditStore::anyStaged)) {
            return 0;
        }
        long total = 0;
        int moved;
        do {
            moved = tables.inTransaction(this::chainBatch);
            total += moved;
        } while (moved == CHAIN_BATCH);
        return total;
    }

    /**
     * One chaining transaction: takes the head's row lock first, so that only one chainer (of
     * any server) works at a time and every staged row it then sees is its own to move; deletes
     * up to {@link #CHAIN_BATCH} of them and appends them, numbered and hashed in arrival order.
     * Deleting and appending in one transaction means an event is never lost or chained twice.
     * A staged event written in a format this Keel does not know stops the batch (and stays
     * staged): hashing it by this Keel's formula would chain it wrongly.
     */
    private int chainBatch(JdbcAuditStore store) throws SQLException {
        Head head = store.holdHead();
        List<Staged> staged = store.takeStaged(CHAIN_BATCH);
        if (staged.isEmpty()) {
            return 0;
        }
        long seq = head.seq();
        String hash = head.hash();
        List<AuditEvent> chained = new ArrayList<>(staged.size());
        List<AuditEvent> toSign = new ArrayList<>();
        for (Staged next : staged) {
            ChainHash.requireKnown(next.format(), "the event staged at arrival " + next.arrival());
            seq++;
            AuditEvent event = hashed(new AuditEvent(seq, next.recordedAt(), next.actor(), next.action(),
                    next.resource(), next.summary(), hash, null));
            hash = event.hash();
            chained.add(event);
            if (seq % checkpointEvery == 0) {
                toSign.add(event);
            }
        }
        store.appendAll(chained, ChainHash.FORMAT);
        long now = clock.millis();
        for (AuditEvent event : toSign) {
            sign(store, event.seq(), event.hash(), now);
        }
        store.moveHead(new Head(seq, hash));
        return staged.size();
    }

    /**
     * Signs the chain's head now, so nothing up to it can be rewritten unnoticed, and returns
     * the checkpoint (the existing one if the head is already signed).
     */
    public Checkpoint checkpoint() {
        chainStaged();
        return tables.inTransaction(store -> {
            // a no-op update: on PostgreSQL it holds the head still until this checkpoint is written
            Head head = store.holdHead();
            if (head.seq() == 0) {
                throw KeelException.invalid("the audit trail has no events yet; there is nothing to sign");
            }
            Optional<Checkpoint> existing = store.checkpointAt(head.seq());
            return existing.isPresent() ? existing.get() : sign(store, head.seq(), head.hash(), clock.millis());
        });
    }

    private Checkpoint sign(JdbcAuditStore store, long seq, String hash, long now) throws SQLException {
        Checkpoint unsigned = new Checkpoint(seq, hash, now, key.id(), null);
        Checkpoint signed = new Checkpoint(seq, hash, now, key.id(), key.sign(unsigned.signedText()));
        store.insertCheckpoint(signed);
        return signed;
    }

    /**
     * Replays the whole chain from its first event: every hash, every link, every checkpoint.
     * Reads one consistent snapshot, streaming, so the trail may grow meanwhile.
     */
    public Verification verify() {
        chainStaged();
        return tables.snapshot(store -> new ChainReplay(key, hashes.get()).replay(store));
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
        return tables.read(store -> store.latest(resource, limit));
    }

    /** Streams every event recorded at or after {@code sinceMillis}, in chain order, to {@code sink}; returns how many. */
    public long export(long sinceMillis, Consumer<AuditEvent> sink) {
        chainStaged();
        return tables.snapshot(store -> {
            long count = 0;
            try (EventCursor events = store.eventsSince(sinceMillis)) {
                while (events.next()) {
                    sink.accept(events.event());
                    count++;
                }
            }
            return count;
        });
    }

    /** The newest checkpoint, or null before the first. */
    public Checkpoint lastCheckpoint() {
        return tables.read(JdbcAuditStore::lastCheckpoint).orElse(null);
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
}
