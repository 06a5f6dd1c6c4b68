package dev.keel.registry.approval;

import dev.keel.api.registry.RiskTier;

import java.util.List;

/** Runs a tier's automatic checks, in the policy's order, on one version's context. */
public final class ApprovalChecks {
    private ApprovalChecks() {
    }

    /** One result per check of {@code tier}, in policy order; deterministic for the same context. */
    public static List<CheckResult> evaluate(ApprovalPolicy policy, RiskTier tier, CheckContext context) {
        return policy.tier(tier).checks().stream().map(check -> check.evaluate(context)).toList();
    }

    /** True when every result passed (and so when the tier has no checks). */
    public static boolean allPassed(List<CheckResult> results) {
        return results.stream().allMatch(CheckResult::passed);
    }
}
