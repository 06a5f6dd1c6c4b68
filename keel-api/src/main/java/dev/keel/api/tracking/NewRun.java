package dev.keel.api.tracking;

import dev.keel.api.Tag;
import dev.keel.core.Checks;
import dev.keel.core.Ids;

import java.util.List;

/**
 * What it takes to start a run. Null {@code experimentId} means the default experiment; null
 * {@code userId} means the actor; null {@code startTime} means now; a null run name is taken
 * from the {@code mlflow.runName} tag, else generated.
 */
public record NewRun(String experimentId, String userId, String runName, Long startTime, List<Tag> tags) {
    public NewRun {
        if (experimentId != null) {
            Ids.requireExperimentId("experiment_id", experimentId);
        }
        Checks.requireMaxLength("user_id", userId, 256);
        Checks.requireMaxLength("run_name", runName, Limits.MAX_RUN_NAME_LENGTH);
        tags = tags == null ? List.of() : List.copyOf(tags);
        Checks.requireMaxSize("tags", tags, Limits.BATCH_MAX_TAGS);
    }

    public static NewRun in(String experimentId) {
        return new NewRun(experimentId, null, null, null, List.of());
    }

    public NewRun named(String name) {
        return new NewRun(experimentId, userId, name, startTime, tags);
    }
}
