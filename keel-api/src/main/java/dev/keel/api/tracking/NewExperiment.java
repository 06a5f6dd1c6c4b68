package dev.keel.api.tracking;

import dev.keel.api.Tag;
import dev.keel.core.Checks;

import java.util.List;

/** What it takes to create an experiment. A null artifact location means "under the run store". */
public record NewExperiment(String name, String artifactLocation, List<Tag> tags) {
    public NewExperiment {
        Checks.requireText("name", name, Limits.MAX_EXPERIMENT_NAME_LENGTH);
        Checks.requireMaxLength("artifact_location", artifactLocation, Limits.MAX_ARTIFACT_LOCATION_LENGTH);
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    public static NewExperiment named(String name) {
        return new NewExperiment(name, null, List.of());
    }
}
