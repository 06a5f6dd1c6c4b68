package dev.keel.client;

import dev.keel.api.approval.ApprovalRequest;
import dev.keel.api.approval.ApprovalService;
import dev.keel.api.approval.ApprovalStatus;
import dev.keel.api.approval.ApprovalTarget;
import dev.keel.api.http.ApprovalApi;
import dev.keel.api.http.ApprovalBodies.ApprovalRequestBody;
import dev.keel.api.http.ApprovalBodies.DecisionBody;
import dev.keel.api.http.ApprovalBodies.NewApprovalBody;
import dev.keel.core.Actor;
import dev.keel.core.Checks;

import java.util.List;
import java.util.Locale;

/**
 * {@link ApprovalService} over a Keel server's native REST API ({@link ApprovalApi}). The checks,
 * the approver role and segregation of duties are decided by the server; a refusal arrives as
 * the {@link dev.keel.core.KeelException} it raised, reason and all.
 *
 * <p>The {@code actor} argument is not sent: the server decides who a request acts as.
 */
record RemoteApprovalService(KeelConnection server) implements ApprovalService {
    @Override
    public ApprovalRequest request(Actor actor, String model, long version, ApprovalTarget target) {
        Checks.requireNonNull("target", target);
        return server.send(ApprovalApi.REQUEST_APPROVAL.at().with(NewApprovalBody.of(model, version, target))).toRequest();
    }

    @Override
    public List<ApprovalRequest> list(Actor actor, ApprovalStatus status, String model) {
        return server.send(ApprovalApi.LIST.at()
                        .query("status", status == null ? null : status.name().toLowerCase(Locale.ROOT)).query("model", model))
                .requests().stream().map(ApprovalRequestBody::toRequest).toList();
    }

    @Override
    public ApprovalRequest get(Actor actor, long id) {
        return server.send(ApprovalApi.GET.at(id)).toRequest();
    }

    @Override
    public ApprovalRequest approve(Actor actor, long id, String reason) {
        return server.send(ApprovalApi.APPROVE.at(id).with(new DecisionBody(reason))).toRequest();
    }

    @Override
    public ApprovalRequest reject(Actor actor, long id, String reason) {
        return server.send(ApprovalApi.REJECT.at(id).with(new DecisionBody(reason))).toRequest();
    }
}
