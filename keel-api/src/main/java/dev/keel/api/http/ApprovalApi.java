package dev.keel.api.http;

import dev.keel.api.http.ApprovalBodies.ApprovalList;
import dev.keel.api.http.ApprovalBodies.ApprovalRequestBody;
import dev.keel.api.http.ApprovalBodies.DecisionBody;
import dev.keel.api.http.ApprovalBodies.NewApprovalBody;

/** Approval gates over HTTP, under {@code /api/v1/approvals}: one {@link Operation} per {@link dev.keel.api.approval.ApprovalService} call. */
public final class ApprovalApi {
    private static final String REQUEST = "/api/v1/approvals/{id}";

    private ApprovalApi() {
    }

    public static final Operation<NewApprovalBody, ApprovalRequestBody> REQUEST_APPROVAL =
            Operation.post("/api/v1/approvals", "Request approval to move a version to Staging or Production, or to point "
                            + "a protected alias at it; the automatic checks run now and are kept with the request")
                    .accepts(NewApprovalBody.class).returns(201, ApprovalRequestBody.class);

    public static final Operation<Void, ApprovalList> LIST =
            Operation.get("/api/v1/approvals", "Approval requests the caller may read, newest first (at most 1000)")
                    .query(QueryParameter.of("status", String.class, "pending, approved, rejected or applied"))
                    .query(QueryParameter.of("model", String.class, "only this registered model's requests"))
                    .returns(ApprovalList.class);

    public static final Operation<Void, ApprovalRequestBody> GET =
            Operation.get(REQUEST, "One approval request with its checks and decisions").returns(ApprovalRequestBody.class);

    /** The body may be left out: an approval needs no reason. */
    public static final Operation<DecisionBody, ApprovalRequestBody> APPROVE =
            Operation.post(REQUEST + "/approve", "Approve a pending request (approver role; not its requester or the "
                            + "version's creator); the last approval needed applies the change")
                    .accepts(DecisionBody.class).returns(ApprovalRequestBody.class);

    public static final Operation<DecisionBody, ApprovalRequestBody> REJECT =
            Operation.post(REQUEST + "/reject", "Reject a pending request for good (approver role; a reason is required)")
                    .accepts(DecisionBody.class).returns(ApprovalRequestBody.class);
}
