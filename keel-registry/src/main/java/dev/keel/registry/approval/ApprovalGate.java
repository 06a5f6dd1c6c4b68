package dev.keel.registry.approval;

import dev.keel.api.registry.Stage;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Which direct changes the registry refuses, sending the caller to an approval request. When
 * on, moving a version to Staging or Production and pointing one of {@code protectedAliases}
 * at a version go only through an approved request.
 *
 * <p>A policy says {@code enabled: true}, {@code false} or {@code auto} (the default). Auto is
 * on wherever people must sign in, because only there can a second person be told apart from
 * the first; a local single-user start has one operator, who could never satisfy segregation of
 * duties, so auto is off there. The platform {@link #resolve resolves} auto once it knows which
 * it is; the registry accepts only a resolved gate.
 */
public record ApprovalGate(Mode mode, List<String> protectedAliases) {
    /** What the policy file says. */
    public enum Mode {
        ON, OFF, AUTO;

        /** {@code true}, {@code false} or {@code auto}, as written in a policy. */
        public String wireName() {
            return this == ON ? "true" : this == OFF ? "false" : "auto";
        }
    }

    /** The aliases protected when a policy names none. */
    public static final List<String> DEFAULT_PROTECTED_ALIASES = List.of("champion");
    public static final ApprovalGate OFF = new ApprovalGate(Mode.OFF, DEFAULT_PROTECTED_ALIASES);
    public static final ApprovalGate ON = new ApprovalGate(Mode.ON, DEFAULT_PROTECTED_ALIASES);
    public static final ApprovalGate AUTO = new ApprovalGate(Mode.AUTO, DEFAULT_PROTECTED_ALIASES);

    public ApprovalGate {
        Objects.requireNonNull(mode, "mode");
        protectedAliases = List.copyOf(protectedAliases);
    }

    /** Auto made definite: on when {@code authenticationRequired}, off otherwise; on and off stay as they are. */
    public ApprovalGate resolve(boolean authenticationRequired) {
        if (mode != Mode.AUTO) {
            return this;
        }
        return new ApprovalGate(authenticationRequired ? Mode.ON : Mode.OFF, protectedAliases);
    }

    /** Whether the gate is on; an unresolved auto gate has no answer yet. */
    public boolean enabled() {
        if (mode == Mode.AUTO) {
            throw new IllegalStateException("an 'auto' approval gate must be resolved against authentication first");
        }
        return mode == Mode.ON;
    }

    public boolean guards(Stage stage) {
        return enabled() && (stage == Stage.STAGING || stage == Stage.PRODUCTION);
    }

    public boolean guards(String alias) {
        return enabled() && protectedAliases.contains(alias);
    }

    /** "on", "off" or "auto", for logs and messages. */
    public String describe() {
        return mode.name().toLowerCase(Locale.ROOT);
    }
}
