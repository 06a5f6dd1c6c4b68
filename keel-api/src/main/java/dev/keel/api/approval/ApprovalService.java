package dev.keel.api.approval;

import dev.keel.core.Actor;

import java.util.List;

/**
 * Approval gates: a request to move a model version to Staging or Production (or to point a
 * protected alias at it) runs the policy's automatic checks at once and records their results;
 * people holding the approver role then decide. Segregation of duties: neither the requester
 * nor the version's creator may approve, and a tier needing n approvers needs n different
 * people. When the last approval needed comes in and every check passed, the change is applied
 * in the same transaction and the request becomes APPLIED. Every step is audited.
 */
public interface ApprovalService {

    /** Runs the checks and stores the request with their results, even when some fail. Needs EDIT on the model. */
    ApprovalRequest request(Actor actor, String model, long version, ApprovalTarget target);

    /** Requests newest first, optionally only those with {@code status} and/or of {@code model} (either may be null). */
    List<ApprovalRequest> list(Actor actor, ApprovalStatus status, String model);

    ApprovalRequest get(Actor actor, long id);

    /**
     * Records an approval (the approver role is needed; 403 naming the reason for the requester or
     * the version's creator, or someone approving twice); refused with a 400 naming the failed
     * checks when any failed. Applies the change once enough approvals are in.
     */
    ApprovalRequest approve(Actor actor, long id, String reason);

    /** Rejects a pending request for good; the approver role and a reason are needed. */
    ApprovalRequest reject(Actor actor, long id, String reason);
}
