package dev.keel.server.http;

import dev.keel.api.approval.ApprovalService;
import dev.keel.api.approval.ApprovalStatus;
import dev.keel.api.http.ApprovalBodies.ApprovalList;
import dev.keel.api.http.ApprovalBodies.ApprovalRequestBody;
import dev.keel.api.http.ApprovalBodies.DecisionBody;
import dev.keel.api.http.ApprovalBodies.NewApprovalBody;

import java.util.List;

import static dev.keel.api.http.ApprovalApi.*;

/**
 * Approval gates ({@link dev.keel.api.http.ApprovalApi}): parse, call {@link ApprovalService},
 * render. Who may request or decide, segregation of duties and the checks are the service's; a
 * refused decision arrives as its 403 or 400 with the reason.
 */
public record ApprovalRoutes(ApprovalService approvals) {

    public List<Route> routes(RouteBinder bind) {
        return List.of(
                bind.answer(REQUEST_APPROVAL, x -> {
                    NewApprovalBody body = x.body();
                    return ApprovalRequestBody.of(approvals.request(x.actor(), body.modelName(), body.versionNumber(),
                            body.target()));
                }),
                bind.answer(LIST, x -> {
                    String status = x.given("status");
                    ApprovalStatus wanted = status == null ? null : ApprovalStatus.parse(status);
                    return new ApprovalList(approvals.list(x.actor(), wanted, x.given("model")).stream()
                            .map(ApprovalRequestBody::of).toList());
                }),
                bind.answer(GET, x -> ApprovalRequestBody.of(approvals.get(x.actor(), x.positive("id")))),
                bind.answer(APPROVE, x -> ApprovalRequestBody.of(approvals.approve(x.actor(), x.positive("id"),
                        reason(x)))),
                bind.answer(REJECT, x -> ApprovalRequestBody.of(approvals.reject(x.actor(), x.positive("id"),
                        reason(x)))));
    }

    /** The decision's reason; an approval may come with no body at all. */
    private static String reason(Exchange<DecisionBody> x) {
        DecisionBody body = x.optionalBody();
        return body == null ? null : body.reason();
    }
}
