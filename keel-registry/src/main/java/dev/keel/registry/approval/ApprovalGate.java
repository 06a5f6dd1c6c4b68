package dev.keel.registry.approval;

import dev.keel.registry.Stage;

import java.util.List;

/**
 * Which direct changes the registry refuses, sending the caller to an approval request. When
 * {@code enabled}, moving a version to Staging or Production and pointing one of
 * {@code protectedAliases} at a version go only through an approved request. Off unless the
 * policy file turns it on: MLflow's clients transition stages and set aliases directly, and a
 * local experiment should not need a second person.
 */
public record ApprovalGate(boolean enabled, List<String> protectedAliases) {
    /** The aliases protected when a policy names none. */
    public static final List<String> DEFAULT_PROTECTED_ALIASES = List.of("champion");
    public static final ApprovalGate OFF = new ApprovalGate(false, DEFAULT_PROTECTED_ALIASES);

    public ApprovalGate {
        protectedAliases = List.copyOf(protectedAliases);
    }

    public boolean guards(Stage stage) {
        return enabled && (stage == Stage.STAGING || stage == Stage.PRODUCTION);
    }

    public boolean guards(String alias) {
        return enabled && protectedAliases.contains(alias);
    }
}
