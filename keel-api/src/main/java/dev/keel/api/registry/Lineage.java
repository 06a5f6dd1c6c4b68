package dev.keel.api.registry;

import dev.keel.api.tracking.DatasetInput;

import java.util.List;

/**
 * Where a model version came from: the run that produced it (null for a directory registered
 * without one) and the datasets that run recorded as its inputs, as they were at registration.
 */
public record Lineage(String runId, List<DatasetInput> datasets) {
    public static final Lineage NONE = new Lineage(null, List.of());

    public Lineage {
        datasets = datasets == null ? List.of() : List.copyOf(datasets);
    }
}
