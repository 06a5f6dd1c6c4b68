package dev.keel.governance.audit;

import dev.keel.api.audit.AuditEvent;
import dev.keel.api.audit.Checkpoint;
import dev.keel.api.audit.Verification;
import dev.keel.api.audit.Verification.Breach;
import dev.keel.api.audit.Verification.Broken;
import dev.keel.api.audit.Verification.Intact;
import dev.keel.governance.audit.sql.EventCursor;
import dev.keel.governance.audit.sql.JdbcAuditStore;
import dev.keel.governance.audit.sql.JdbcAuditStore.Head;

import java.sql.SQLException;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * One replay of the audit chain from its first event, on one snapshot. Each event is checked
 * against itself (its fields must hash to its stored hash) and against its predecessor (its
 * previous hash must be the hash before it), which tells apart an altered event, a removed
 * one and a moved one; each checkpoint must carry a valid signature by the trail's key over
 * exactly the hash the replay reached at its sequence number. An event written in an audit
 * format this Keel does not know stops the replay with an error saying so: hashing it by this
 * Keel's formula would report an intact event as altered.
 */
final class ChainReplay {
    private final CheckpointKey key;
    private final ChainHash chainHash;

    ChainReplay(CheckpointKey key, ChainHash chainHash) {
        this.key = key;
        this.chainHash = chainHash;
    }

    Verification replay(JdbcAuditStore store) throws SQLException {
        Optional<Head> head = store.head();
        if (head.isEmpty()) {
            return new Broken(1, Breach.REMOVED, "the chain head (table audit_chain_head, row 1) is missing");
        }
        long headSeq = head.get().seq();
        String headHash = head.get().hash();
        List<Checkpoint> checkpoints = store.checkpointsInOrder();
        Iterator<Checkpoint> pending = checkpoints.iterator();
        Checkpoint next = pending.hasNext() ? pending.next() : null;
        Checkpoint lastValid = null;

        long expected = 1;
        String running = ChainHash.GENESIS;
        try (EventCursor events = store.eventsInOrder()) {
            while (events.next()) {
                AuditEvent event = events.event();
                ChainHash.requireKnown(events.format(), "audit event " + event.seq());
                Broken broken = check(event, expected, running);
                if (broken != null) {
                    return broken;
                }
                running = event.hash();
                while (next != null && next.seq() <= event.seq()) {
                    broken = check(next, event.seq(), running);
                    if (broken != null) {
                        return broken;
                    }
                    lastValid = next;
                    next = pending.hasNext() ? pending.next() : null;
                }
                expected++;
            }
        }
        long last = expected - 1;
        if (next != null) {
            return new Broken(last + 1, Breach.REMOVED, "a checkpoint signed the chain up to event " + next.seq()
                    + ", but the stored chain ends at event " + last + ": events were removed from its end");
        }
        if (last != headSeq) {
            return new Broken(last + 1, Breach.REMOVED, "the chain head says " + headSeq
                    + " events were recorded, but the stored chain ends at event " + last);
        }
        if (!running.equals(headHash)) {
            return new Broken(last, Breach.ALTERED, "the chain head's hash " + headHash + " is not event " + last
                    + "'s hash " + running);
        }
        return new Intact(last, lastValid);
    }

    private Broken check(AuditEvent event, long expected, String running) {
        if (event.seq() != expected) {
            return new Broken(expected, Breach.REMOVED, "event " + expected + " is missing: the event after "
                    + (expected - 1) + " is " + event.seq());
        }
        boolean linked = running.equals(event.prevHash());
        boolean intact;
        try {
            intact = chainHash.next(event.prevHash(), event).equals(event.hash());
        } catch (IllegalArgumentException notHex) {
            intact = false;
        }
        if (linked && intact) {
            return null;
        }
        if (linked) {
            return new Broken(expected, Breach.ALTERED, "event " + expected + " was altered: its fields no longer hash"
                    + " to its stored hash");
        }
        if (intact) {
            return new Broken(expected, Breach.REORDERED, "event " + expected + " is intact but does not follow event "
                    + (expected - 1) + ": events before it were removed or reordered");
        }
        return new Broken(expected, Breach.REORDERED, "event " + expected + " is not the event recorded at "
                + expected + ": it neither follows event " + (expected - 1) + " nor hashes to its stored hash"
                + " (events were moved, or rewritten)");
    }

    private Broken check(Checkpoint checkpoint, long seq, String running) {
        if (checkpoint.seq() != seq) {
            return new Broken(checkpoint.seq(), Breach.REMOVED, "a checkpoint signed event " + checkpoint.seq()
                    + ", which is missing from the chain");
        }
        if (!checkpoint.keyId().equals(key.id())) {
            return new Broken(seq, Breach.CHECKPOINT_INVALID, "the checkpoint at event " + seq + " was signed by key "
                    + checkpoint.keyId() + ", not by this trail's key " + key.id());
        }
        if (!key.verifies(checkpoint.signedText(), checkpoint.signature())) {
            return new Broken(seq, Breach.CHECKPOINT_INVALID, "the checkpoint at event " + seq
                    + " has an invalid signature");
        }
        if (!checkpoint.hash().equals(running)) {
            return new Broken(seq, Breach.CHECKPOINT_INVALID, "the checkpoint at event " + seq + " signed hash "
                    + checkpoint.hash() + ", but the chain now hashes to " + running + " there: events up to "
                    + seq + " were rewritten");
        }
        return null;
    }
}
