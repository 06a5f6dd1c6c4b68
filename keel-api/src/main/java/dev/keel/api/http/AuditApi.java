package dev.keel.api.http;

import dev.keel.api.audit.AuditService;
import dev.keel.api.audit.Checkpoint;
import dev.keel.api.http.AuditBodies.AuditEventList;
import dev.keel.api.http.AuditBodies.ExportedEvent;
import dev.keel.api.http.AuditBodies.VerificationBody;

/**
 * The audit trail over HTTP, under {@code /api/v1/audit}: one {@link Operation} per
 * {@link AuditService} call. Only admins and approvers (auditors) may use it when sign-in is
 * required; the service decides.
 */
public final class AuditApi {
    /** How many events {@link #EVENTS} answers without a {@code limit}. */
    public static final int DEFAULT_LIMIT = 50;

    private AuditApi() {
    }

    public static final Operation<Void, VerificationBody> VERIFY =
            Operation.get("/api/v1/audit/verify", "Replay the whole hash chain and every signed checkpoint; intact or "
                            + "not, the answer is 200 and says which, naming the first broken event (admins and approvers)")
                    .returns(VerificationBody.class);

    public static final Operation<Void, AuditEventList> EVENTS =
            Operation.get("/api/v1/audit/events", "The newest events, oldest first (admins and approvers)")
                    .query(QueryParameter.of("resource", String.class, "only events about this resource and what lies "
                            + "under it: run/ID, experiment/ID, model/NAME, model/NAME/version/N, user/NAME"))
                    .query(QueryParameter.of("limit", Integer.class, "at most this many (1 to "
                            + AuditService.MAX_LATEST + ", " + DEFAULT_LIMIT + " by default)"))
                    .returns(AuditEventList.class);

    public static final Operation<Void, ExportedEvent> EXPORT =
            Operation.get("/api/v1/audit/export", "Stream the chain from the first event recorded at or after 'since', "
                            + "one JSON object per line with both hashes, so it can be replayed elsewhere (admins and approvers)")
                    .query(QueryParameter.of("since", String.class, "an instant (2026-01-31T12:00:00Z), a UTC date "
                            + "(2026-01-31) or epoch milliseconds; the beginning by default"))
                    .returnsJsonLines(ExportedEvent.class);

    public static final Operation<Void, Checkpoint> CHECKPOINT =
            Operation.post("/api/v1/audit/checkpoint", "Sign the chain's head now (Keel also signs one every 1000 events); "
                            + "answers the existing checkpoint when the head is signed already (admins and approvers)")
                    .returns(Checkpoint.class);
}
