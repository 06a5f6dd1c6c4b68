package dev.keel.governance.audit;

import dev.keel.api.audit.AuditEvent;
import dev.keel.api.audit.AuditService;
import dev.keel.api.audit.Checkpoint;
import dev.keel.api.audit.Verification;
import dev.keel.core.Actor;
import dev.keel.core.Authorizer;
import dev.keel.core.Checks;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import dev.keel.core.Role;

import java.util.List;
import java.util.function.Consumer;

/**
 * The {@link AuditService} in-process: an {@link AuditTrail} behind the role check. A separate
 * value rather than the trail itself because the trail is built first, before the access
 * control that authorizes reading it (access control records its own changes in the trail).
 */
public final class EmbeddedAuditService implements AuditService {
    private final AuditTrail trail;
    private final Authorizer authorizer;

    public EmbeddedAuditService(AuditTrail trail, Authorizer authorizer) {
        this.trail = Checks.requireNonNull("trail", trail);
        this.authorizer = Checks.requireNonNull("authorizer", authorizer);
    }

    @Override
    public Verification verify(Actor actor) {
        requireAuditor(actor, "verify the audit trail");
        return trail.verify();
    }

    @Override
    public List<AuditEvent> latest(Actor actor, String resource, int limit) {
        requireAuditor(actor, "read the audit trail");
        if (limit < 1 || limit > MAX_LATEST) {
            throw KeelException.invalid("'limit' must be between 1 and " + MAX_LATEST + " (got " + limit + ")");
        }
        Checks.requireMaxLength("resource", resource, 1024);
        return trail.latest(resource, limit);
    }

    @Override
    public long export(Actor actor, long sinceMillis, Consumer<AuditEvent> sink) {
        requireAuditor(actor, "export the audit trail");
        Checks.requireNonNull("sink", sink);
        return trail.export(sinceMillis, sink);
    }

    @Override
    public Checkpoint checkpoint(Actor actor) {
        requireAuditor(actor, "sign an audit checkpoint");
        return trail.checkpoint();
    }

    /** Approvers and admins (the authorizer lets admins hold every role); the refusal says who may. */
    private void requireAuditor(Actor actor, String what) {
        Checks.requireNonNull("actor", actor);
        try {
            authorizer.requireRole(actor, Role.APPROVER);
        } catch (KeelException e) {
            if (e.code() != ErrorCode.PERMISSION_DENIED) {
                throw e;
            }
            throw new KeelException(ErrorCode.PERMISSION_DENIED, "only admins and approvers (auditors) may " + what
                    + ": " + e.getMessage());
        }
    }
}
