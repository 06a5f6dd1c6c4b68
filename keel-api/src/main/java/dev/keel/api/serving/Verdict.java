package dev.keel.api.serving;

/** What an analysis concluded: the canary is fine, it breaches a guardrail, or there is not enough evidence yet. */
public enum Verdict {
    PASS,
    FAIL,
    INCONCLUSIVE
}
