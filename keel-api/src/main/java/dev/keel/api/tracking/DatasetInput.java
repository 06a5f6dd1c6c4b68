package dev.keel.api.tracking;

import dev.keel.core.Checks;

import java.util.List;

/** A dataset a run used, with tags saying how (such as its context: training, validation). */
public record DatasetInput(List<InputTag> tags, Dataset dataset) {
    public DatasetInput {
        tags = tags == null ? List.of() : List.copyOf(tags);
        Checks.requireNonNull("dataset", dataset);
    }

    public static DatasetInput of(Dataset dataset, String context) {
        return new DatasetInput(context == null ? List.of() : List.of(new InputTag(InputTag.CONTEXT, context)), dataset);
    }
}
