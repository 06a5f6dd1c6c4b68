package dev.keel.api.registry;

import dev.keel.api.Tag;

import java.util.List;

/**
 * One registered version of a model: numbered 1, 2, 3… per model, its files fixed and hashed
 * at registration (see {@link #manifest()}), its stage, tags and the aliases pointing at it.
 * {@code source} is where the files came from ({@code runs:/…}, {@code mlflow-artifacts:/…},
 * or {@code models:/name/version} for an uploaded directory).
 */
public record ModelVersion(String name, long version, long creationTimestamp, long lastUpdatedTimestamp,
                           String userId, Stage currentStage, String description, String source, String runId,
                           ModelVersionStatus status, String statusMessage, List<Tag> tags, String runLink,
                           List<String> aliases, ModelManifest manifest) {
    public ModelVersion {
        tags = tags == null ? List.of() : List.copyOf(tags);
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        currentStage = currentStage == null ? Stage.NONE : currentStage;
        status = status == null ? ModelVersionStatus.READY : status;
    }
}
