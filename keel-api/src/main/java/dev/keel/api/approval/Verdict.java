package dev.keel.api.approval;

/** What one person decided on an approval request. */
public enum Verdict {
    APPROVE, REJECT
}
