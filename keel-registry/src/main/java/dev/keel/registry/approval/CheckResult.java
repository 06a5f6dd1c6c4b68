package dev.keel.registry.approval;

import dev.keel.api.approval.RecordedCheck;

import java.util.Objects;

/**
 * One check's verdict: the check, whether it passed, and a sentence a reviewer can act on,
 * such as {@code metrics.auc = 0.8193 ≥ 0.8: passed}.
 */
public record CheckResult(Check check, boolean passed, String detail) {
    public CheckResult {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(detail, "detail");
    }

    /** The verdict as stored with a request: the check as the policy states it, as text. */
    RecordedCheck recorded() {
        return new RecordedCheck(check.describe(), passed, detail);
    }

    static CheckResult passed(Check check, String why) {
        return new CheckResult(check, true, why + ": passed");
    }

    static CheckResult failed(Check check, String why) {
        return new CheckResult(check, false, why + ": failed");
    }
}
