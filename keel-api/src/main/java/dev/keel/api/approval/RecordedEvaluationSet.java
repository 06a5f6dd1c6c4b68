package dev.keel.api.approval;

import java.util.Objects;

/** A version's evaluation set as the registry keeps it: the summary and the rows themselves. */
public record RecordedEvaluationSet(EvaluationSetSummary summary, EvaluationSet data) {
    public RecordedEvaluationSet {
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(data, "data");
    }
}
