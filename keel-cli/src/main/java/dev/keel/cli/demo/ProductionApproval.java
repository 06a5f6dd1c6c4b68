package dev.keel.cli.demo;

import dev.keel.api.Keel;
import dev.keel.api.approval.ApprovalRequest;
import dev.keel.api.approval.ApprovalService;
import dev.keel.api.approval.ApprovalStatus;
import dev.keel.api.approval.ApprovalTarget;
import dev.keel.api.approval.RecordedCheck;
import dev.keel.api.registry.ModelVersion;
import dev.keel.api.registry.Stage;
import dev.keel.core.Actor;
import dev.keel.core.KeelException;
import dev.keel.server.KeelPlatform;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * The demo's walk through the approval gate: Production is requested for the new version
 * (archiving the version there before it, once applied) and the gate is walked as a team would:
 * the checks run, the requester trying to approve is refused, then two approvers (the demo's
 * model is high risk) decide and the second approval applies the stage. Embedded only: on a
 * server, approvers sign in as themselves.
 */
final class ProductionApproval {
    /** Who approves in the demo: two people, neither the one who trained and requested. */
    private static final List<Actor> APPROVERS = List.of(new Actor("risk-officer"), new Actor("model-validator"));

    /** The Production request as decided, and the versions it moved from Production to Archived. */
    record Promotion(ApprovalRequest request, List<Long> archived) {
    }

    private ProductionApproval() {
    }

    /** The request as decided, or null on a server, where the walk is skipped; it tells its steps on {@code err}. */
    static Promotion walk(Keel session, Actor requester, String model, long version, PrintStream err) {
        if (!(session instanceof KeelPlatform embedded)) {
            err.println("(approvals need the approvers themselves on a server; skipped with KEEL_URL)");
            return null;
        }
        ApprovalService approvals = embedded.approvals();
        List<Long> inProduction = session.registry().getLatestVersions(requester, model, List.of(Stage.PRODUCTION))
                .stream().map(ModelVersion::version).toList();
        ApprovalRequest request = approvals.request(requester, model, version,
                new ApprovalTarget.ToStage(Stage.PRODUCTION, true));
        err.println("requested Production for version " + version + " (approval request "
                + request.id() + ", the demo's policy): " + request.checks().stream().filter(RecordedCheck::passed).count()
                + " of " + request.checks().size() + " automatic checks passed");
        for (RecordedCheck check : request.checks()) {
            // the figures a reviewer weighs; the card, signature and digest checks speak for themselves when they pass
            if (!check.passed() || check.check().startsWith("metrics.") || check.check().startsWith("fairness")) {
                err.println("  " + (check.passed() ? "pass " : "FAIL ") + check.detail()
                        .replaceFirst(": (passed|failed)$", ""));
            }
        }
        if (!request.checksPassed()) {
            err.println("  a check failed, so nobody can approve it");
            return new Promotion(request, List.of());
        }
        try {
            approvals.approve(requester, request.id(), "I trained it and it looks good");
        } catch (KeelException e) {
            err.println("  " + requester.name() + " tries to approve it: refused, " + e.getMessage());
        }
        ApprovalRequest decided = request;
        for (Actor approver : APPROVERS) {
            if (decided.status() != ApprovalStatus.PENDING) {
                break;
            }
            decided = approvals.approve(approver, request.id(), "reviewed the model card, its checks and the sliced AUC");
            err.println("  " + approver.name() + " approves: " + decided.approvers().size() + " of "
                    + decided.requiredApprovals() + " approvals, " + decided.status().name().toLowerCase(Locale.ROOT));
        }
        List<Long> archived = decided.status() == ApprovalStatus.APPLIED
                ? inProduction.stream().filter(v -> v != version).toList() : List.of();
        return new Promotion(decided, archived);
    }
}
