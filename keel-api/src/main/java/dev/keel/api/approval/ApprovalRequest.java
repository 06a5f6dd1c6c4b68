package dev.keel.api.approval;

import dev.keel.api.registry.RiskTier;

import java.util.List;

/**
 * A request to move {@code version} of {@code model} to {@code target}: who asked and when, the
 * model's risk tier then and how many approvals that tier needed, the automatic checks' results
 * taken when it was made, and every decision since, oldest first.
 */
public record ApprovalRequest(long id, String model, long version, ApprovalTarget target, String requester,
                              long createdTime, RiskTier tier, int requiredApprovals, ApprovalStatus status,
                              List<RecordedCheck> checks, List<Decision> decisions) {
    public ApprovalRequest {
        checks = List.copyOf(checks);
        decisions = List.copyOf(decisions);
    }

    public boolean checksPassed() {
        return checks.stream().allMatch(RecordedCheck::passed);
    }

    public List<RecordedCheck> failedChecks() {
        return checks.stream().filter(check -> !check.passed()).toList();
    }

    public List<String> approvers() {
        return decisions.stream().filter(d -> d.verdict() == Verdict.APPROVE).map(Decision::decidedBy).toList();
    }
}
