package dev.keel.api.approval;

import dev.keel.core.Checks;
import dev.keel.core.KeelException;

/**
 * Where an approval request stands. PENDING waits for approvals; REJECTED is final. APPROVED
 * means enough people approved; the embedded service applies the change in the same
 * transaction, so a stored request moves straight on to APPLIED and APPROVED is seen only as
 * the step the audit trail records between them.
 */
public enum ApprovalStatus {
    PENDING, APPROVED, REJECTED, APPLIED;

    /** Case-insensitive; an unknown status is a 400 naming 'status'. */
    public static ApprovalStatus parse(String value) {
        return Checks.named(values(), Enum::name, value).orElseThrow(() -> KeelException.invalid(
                "'status' must be one of pending, approved, rejected, applied (got '" + value + "')"));
    }
}
