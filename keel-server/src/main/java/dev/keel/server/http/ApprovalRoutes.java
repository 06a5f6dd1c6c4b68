package dev.keel.server.http;

import dev.keel.api.approval.ApprovalService;
import dev.keel.api.approval.ApprovalStatus;
import dev.keel.core.KeelException;
import dev.keel.server.http.ApprovalBodies.ApprovalList;
import dev.keel.server.http.ApprovalBodies.ApprovalRequestBody;
import dev.keel.server.http.ApprovalBodies.DecisionBody;
import dev.keel.server.http.ApprovalBodies.NewApprovalBody;
import io.javalin.http.Context;

import java.util.List;

/**
 * Approval gates under {@code /api/v1/approvals}: parse, call {@link ApprovalService}, render.
 * Who may request or decide, segregation of duties and the checks are the service's; a refused
 * decision arrives as its 403 or 400 with the reason.
 */
public final class ApprovalRoutes {
    private static final String REQUEST = "/api/v1/approvals/{id}";

    private final ApprovalService approvals;
    private final JsonBodies json;
    private final RequestActor actors;

    public ApprovalRoutes(ApprovalService approvals, JsonBodies json, RequestActor actors) {
        this.approvals = approvals;
        this.json = json;
        this.actors = actors;
    }

    public List<Route> routes() {
        return List.of(
                Route.post("/api/v1/approvals", "Request approval to move a version to Staging or Production, or to point "
                                + "a protected alias at it; the automatic checks run now and are kept with the request")
                        .accepts(NewApprovalBody.class).returns(201, ApprovalRequestBody.class)
                        .handledBy(ctx -> {
                            NewApprovalBody body = json.read(ctx, NewApprovalBody.class);
                            json.write(ctx, 201, ApprovalRequestBody.of(approvals.request(actors.of(ctx), body.modelName(),
                                    body.versionNumber(), body.target())));
                        }),
                Route.get("/api/v1/approvals", "Approval requests the caller may read, newest first (at most 1000)")
                        .query(QueryParameter.of("status", String.class, "pending, approved, rejected or applied"))
                        .query(QueryParameter.of("model", String.class, "only this registered model's requests"))
                        .returns(ApprovalList.class)
                        .handledBy(this::list),
                Route.get(REQUEST, "One approval request with its checks and decisions")
                        .returns(ApprovalRequestBody.class)
                        .handledBy(ctx -> json.write(ctx, 200, ApprovalRequestBody.of(approvals.get(actors.of(ctx), id(ctx))))),
                Route.post(REQUEST + "/approve", "Approve a pending request (approver role; not its requester or the "
                                + "version's creator); the last approval needed applies the change")
                        .accepts(DecisionBody.class).returns(ApprovalRequestBody.class)
                        .handledBy(ctx -> {
                            long id = id(ctx);
                            json.write(ctx, 200, ApprovalRequestBody.of(approvals.approve(actors.of(ctx), id, reason(ctx))));
                        }),
                Route.post(REQUEST + "/reject", "Reject a pending request for good (approver role; a reason is required)")
                        .accepts(DecisionBody.class).returns(ApprovalRequestBody.class)
                        .handledBy(ctx -> {
                            long id = id(ctx);
                            json.write(ctx, 200, ApprovalRequestBody.of(approvals.reject(actors.of(ctx), id, reason(ctx))));
                        }));
    }

    private void list(Context ctx) {
        String status = Queries.text(ctx, "status");
        String model = Queries.text(ctx, "model");
        ApprovalStatus wanted = status == null || status.isEmpty() ? null : ApprovalStatus.parse(status);
        json.write(ctx, 200, new ApprovalList(approvals.list(actors.of(ctx), wanted, model == null || model.isEmpty()
                ? null : model).stream().map(ApprovalRequestBody::of).toList()));
    }

    /** The decision's reason; an approval may come with no body at all. */
    private String reason(Context ctx) {
        if (ctx.req().getContentLengthLong() == 0) {
            return null;
        }
        return json.read(ctx, DecisionBody.class).reason();
    }

    /** The request id in the path: a positive integer, or a 400 naming it. */
    static long id(Context ctx) {
        String text = ctx.pathParam("id");
        try {
            long id = Long.parseLong(text);
            if (id >= 1) {
                return id;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw KeelException.invalid("'id' must be a positive integer (got '"
                + (text.length() > 64 ? text.substring(0, 64) + "…" : text) + "')");
    }
}
