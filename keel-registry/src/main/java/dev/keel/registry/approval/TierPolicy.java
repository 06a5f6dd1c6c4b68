package dev.keel.registry.approval;

import dev.keel.core.KeelException;

import java.util.List;

/** What one risk tier demands before a version moves on: these checks, then this many approvers. */
public record TierPolicy(int approvers, List<Check> checks) {
    /** More would be a policy no team can staff; fewer than one would skip the human decision. */
    public static final int MAX_APPROVERS = 10;

    public TierPolicy {
        if (approvers < 1 || approvers > MAX_APPROVERS) {
            throw KeelException.invalid("'approvers' must be between 1 and " + MAX_APPROVERS + ", got " + approvers);
        }
        checks = checks == null ? List.of() : List.copyOf(checks);
    }
}
