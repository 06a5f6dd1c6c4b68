package dev.keel.serving.rollout;

import dev.keel.api.serving.GuardrailCheck;
import dev.keel.api.serving.Verdict;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/** What one analysis of a canary found: a verdict, and the check of each guardrail behind it. */
public record AnalysisResult(Verdict verdict, long samples, List<GuardrailCheck> checks) {
    public AnalysisResult {
        checks = List.copyOf(checks);
    }

    /** The breached guardrails' descriptions, or every check's when nothing breached. */
    public String reason() {
        List<GuardrailCheck> shown = verdict == Verdict.FAIL
                ? checks.stream().filter(check -> check.verdict() == Verdict.FAIL).toList()
                : checks;
        return shown.stream().map(GuardrailCheck::describe).collect(Collectors.joining("; "));
    }

    /** When the earliest breach began; null when nothing breached or its start is not known. */
    public Instant firstBreachAt() {
        Instant first = null;
        for (GuardrailCheck check : checks) {
            if (check.verdict() == Verdict.FAIL && check.firstBreachAt() != null
                    && (first == null || check.firstBreachAt().isBefore(first))) {
                first = check.firstBreachAt();
            }
        }
        return first;
    }
}
