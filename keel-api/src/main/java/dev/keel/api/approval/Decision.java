package dev.keel.api.approval;

import java.util.Objects;

/** One person's decision on a request: who, when (epoch millis), which way and why. */
public record Decision(String decidedBy, long decidedTime, Verdict verdict, String reason) {
    public Decision {
        Objects.requireNonNull(decidedBy, "decidedBy");
        Objects.requireNonNull(verdict, "verdict");
    }
}
