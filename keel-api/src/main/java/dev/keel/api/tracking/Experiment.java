package dev.keel.api.tracking;

import dev.keel.api.Tag;
import java.util.List;

/** A named group of runs. Id "0" is the default experiment, which always exists. */
public record Experiment(String experimentId, String name, String artifactLocation,
                         LifecycleStage lifecycleStage, long creationTime, long lastUpdateTime,
                         List<Tag> tags) {
    public static final String DEFAULT_ID = "0";
    public static final String DEFAULT_NAME = "Default";

    public Experiment {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }
}
