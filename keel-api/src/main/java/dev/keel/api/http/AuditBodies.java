package dev.keel.api.http;

import dev.keel.api.audit.AuditEvent;
import dev.keel.api.audit.Checkpoint;
import dev.keel.api.audit.Verification;

import java.util.List;

/**
 * The wire shapes of the audit trail: a verification as one object (JSON cannot name the
 * domain's sealed variants), a list of events, and the line of an export.
 */
public final class AuditBodies {
    private AuditBodies() {
    }

    /**
     * What replaying the chain found. Intact: {@code events} and the {@code last_checkpoint} (null
     * before the first). Broken: the first {@code broken_seq}, the {@code breach} and the {@code reason}.
     */
    public record VerificationBody(boolean intact, Long events, Checkpoint lastCheckpoint, Long brokenSeq,
                                   Verification.Breach breach, String reason) {
        public static VerificationBody of(Verification verification) {
            if (verification instanceof Verification.Intact intact) {
                return new VerificationBody(true, intact.events(), intact.lastCheckpoint(), null, null, null);
            }
            Verification.Broken broken = (Verification.Broken) verification;
            return new VerificationBody(false, null, null, broken.seq(), broken.breach(), broken.reason());
        }

        public Verification toVerification() {
            if (intact) {
                return new Verification.Intact(events == null ? 0 : events, lastCheckpoint);
            }
            return new Verification.Broken(brokenSeq == null ? 0 : brokenSeq, breach, reason);
        }
    }

    /** {@code GET /api/v1/audit/events}: oldest first; each {@code summary} is the canonical JSON text that was hashed. */
    public record AuditEventList(List<AuditEvent> events) {
        public AuditEventList {
            events = List.copyOf(events);
        }
    }

    /**
     * One line of {@code GET /api/v1/audit/export}, for the API's description only (the line is
     * written by {@link AuditEvent#jsonLine()}): the summary as the very JSON object that was
     * hashed, and both hashes, so the chain can be replayed elsewhere.
     */
    public record ExportedEvent(long seq, String time, long recordedAt, String actor, String action, String resource,
                                Object summary, String prevHash, String hash) {
    }
}
