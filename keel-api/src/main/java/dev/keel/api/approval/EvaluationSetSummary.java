package dev.keel.api.approval;

import java.util.List;

/**
 * What the registry says about a version's recorded evaluation set without its rows: its size,
 * its sensitive attributes, the SHA-256 of its canonical content (see {@link EvaluationSetJson})
 * so a reviewer can tell which set a check ran on, and who recorded it when (epoch millis).
 */
public record EvaluationSetSummary(String model, long version, int rows, List<String> attributes, String sha256,
                                   String recordedBy, long recordedTime) {
    public EvaluationSetSummary {
        attributes = List.copyOf(attributes);
    }
}
