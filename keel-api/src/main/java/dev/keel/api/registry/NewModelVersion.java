package dev.keel.api.registry;

import dev.keel.api.Tag;
import dev.keel.core.Checks;
import dev.keel.core.Ids;
import dev.keel.core.KeelException;

import java.util.List;
import java.util.Map;

/**
 * What it takes to register a version from a run's artifacts. {@code source} is
 * {@code runs:/<run_id>/<path>} or {@code mlflow-artifacts:/<experiment_id>/<run_id>/artifacts/<path>};
 * {@code runId}, when given, must be the run the source names. {@code expectedSha256} (path →
 * digest, optional) is what the caller believes the files are: any disagreement with the bytes
 * refuses the registration, naming the file.
 */
public record NewModelVersion(String name, String source, String runId, String description, List<Tag> tags,
                              String runLink, Map<String, String> expectedSha256) {
    public NewModelVersion {
        ModelName.requireValid("name", name);
        Checks.requireText("source", source, RegistryLimits.MAX_SOURCE_LENGTH);
        if (runId != null && !runId.isEmpty()) {
            Ids.requireRunId("run_id", runId);
        } else {
            runId = null;
        }
        Checks.requireMaxLength("description", description, RegistryLimits.MAX_DESCRIPTION_LENGTH);
        tags = tags == null ? List.of() : List.copyOf(tags);
        Checks.requireMaxSize("tags", tags, RegistryLimits.MAX_TAGS);
        Checks.requireMaxLength("run_link", runLink, RegistryLimits.MAX_RUN_LINK_LENGTH);
        expectedSha256 = expectedSha256 == null ? Map.of() : Map.copyOf(expectedSha256);
        for (Map.Entry<String, String> expected : expectedSha256.entrySet()) {
            if (expected.getValue() == null || !expected.getValue().matches("[0-9a-f]{64}")) {
                throw KeelException.invalid("the expected sha256 of model file '" + expected.getKey()
                        + "' must be 64 lowercase hex characters");
            }
        }
    }

    public NewModelVersion(String name, String source, String runId, String description, List<Tag> tags, String runLink) {
        this(name, source, runId, description, tags, runLink, Map.of());
    }

    public static NewModelVersion of(String name, String source, String runId) {
        return new NewModelVersion(name, source, runId, null, List.of(), null, Map.of());
    }
}
