package dev.keel.client;

import dev.keel.api.approval.ApprovalRequest;
import dev.keel.api.approval.ApprovalService;
import dev.keel.api.approval.ApprovalStatus;
import dev.keel.api.approval.ApprovalTarget;
import dev.keel.api.approval.Decision;
import dev.keel.api.approval.RecordedCheck;
import dev.keel.api.registry.RiskTier;
import dev.keel.core.Actor;
import dev.keel.core.Checks;

import java.util.List;
import java.util.Locale;

import static dev.keel.client.UriPaths.pair;
import static dev.keel.client.UriPaths.query;

/**
 * {@link ApprovalService} over a Keel server's native REST API ({@code /api/v1/approvals}). The
 * checks, the approver role and segregation of duties are decided by the server; a refusal
 * arrives as the {@link dev.keel.core.KeelException} it raised, reason and all.
 *
 * <p>The {@code actor} argument is not sent: the server decides who a request acts as.
 */
public final class RemoteApprovalService implements ApprovalService {
    private static final String APPROVALS = "/api/v1/approvals";

    private final KeelConnection server;

    RemoteApprovalService(KeelConnection server) {
        this.server = server;
    }

    /** The request body: the target by field. */
    private record NewApprovalBody(String model, long version, String stage, String alias,
                                   boolean archiveExistingVersions) {
    }

    private record DecisionBody(String reason) {
    }

    private record TargetBody(String kind, String value, boolean archiveExistingVersions) {
    }

    /** A request as answered: its target as {@code {kind, value}}. */
    private record ApprovalRequestBody(long id, String model, long version, TargetBody target, String requester,
                                       long createdTime, RiskTier riskTier, int requiredApprovals, ApprovalStatus status,
                                       List<RecordedCheck> checks, List<Decision> decisions) {
        ApprovalRequest toRequest() {
            return new ApprovalRequest(id, model, version, ApprovalTarget.of(target.kind(), target.value(),
                    target.archiveExistingVersions()), requester,
                    createdTime, riskTier, requiredApprovals, status, checks == null ? List.of() : checks,
                    decisions == null ? List.of() : decisions);
        }
    }

    private record ApprovalList(List<ApprovalRequestBody> requests) {
    }

    @Override
    public ApprovalRequest request(Actor actor, String model, long version, ApprovalTarget target) {
        Checks.requireNonNull("target", target);
        ApprovalTarget.ToStage stage = target instanceof ApprovalTarget.ToStage s ? s : null;
        NewApprovalBody body = new NewApprovalBody(model, version, stage != null ? target.value() : null,
                stage != null ? null : target.value(), stage != null && stage.archiveExistingVersions());
        return server.exchange("POST", APPROVALS, body, ApprovalRequestBody.class).toRequest();
    }

    @Override
    public List<ApprovalRequest> list(Actor actor, ApprovalStatus status, String model) {
        String path = APPROVALS + query(List.of(pair("status", status == null ? null : status.name().toLowerCase(Locale.ROOT)),
                pair("model", model)));
        return server.exchange("GET", path, null, ApprovalList.class).requests().stream()
                .map(ApprovalRequestBody::toRequest).toList();
    }

    @Override
    public ApprovalRequest get(Actor actor, long id) {
        return server.exchange("GET", APPROVALS + "/" + id, null, ApprovalRequestBody.class).toRequest();
    }

    @Override
    public ApprovalRequest approve(Actor actor, long id, String reason) {
        return server.exchange("POST", APPROVALS + "/" + id + "/approve", new DecisionBody(reason),
                ApprovalRequestBody.class).toRequest();
    }

    @Override
    public ApprovalRequest reject(Actor actor, long id, String reason) {
        return server.exchange("POST", APPROVALS + "/" + id + "/reject", new DecisionBody(reason),
                ApprovalRequestBody.class).toRequest();
    }
}
