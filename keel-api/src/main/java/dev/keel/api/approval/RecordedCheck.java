package dev.keel.api.approval;

import java.util.Objects;

/**
 * A check's verdict as stored with a request: the check as the policy stated it, whether it
 * passed and the sentence explaining why. Kept as text so the record reads the same after the
 * policy file changes.
 */
public record RecordedCheck(String check, boolean passed, String detail) {
    public RecordedCheck {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(detail, "detail");
    }
}
