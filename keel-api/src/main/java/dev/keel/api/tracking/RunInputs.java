package dev.keel.api.tracking;

import java.util.List;

/** What a run consumed: the datasets logged as its inputs, ordered by dataset name, then digest. */
public record RunInputs(List<DatasetInput> datasetInputs) {
    public static final RunInputs NONE = new RunInputs(List.of());

    public RunInputs {
        datasetInputs = datasetInputs == null ? List.of() : List.copyOf(datasetInputs);
    }
}
