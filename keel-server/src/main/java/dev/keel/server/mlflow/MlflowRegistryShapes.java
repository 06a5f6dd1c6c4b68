package dev.keel.server.mlflow;

import dev.keel.api.Tag;
import dev.keel.api.registry.Alias;
import dev.keel.api.registry.ModelVersion;
import dev.keel.api.registry.RegisteredModel;
import dev.keel.server.mlflow.MlflowShapes.KeyValue;

import java.util.List;

/**
 * The messages of MLflow's {@code model_registry.proto} as Keel answers them: snake_case names,
 * null fields and empty lists left out, a version number written as a string, stages by
 * MLflow's names ("None", "Staging", "Production", "Archived").
 */
final class MlflowRegistryShapes {
    private MlflowRegistryShapes() {
    }

    record AliasJson(String alias, String version) {
        static AliasJson of(Alias alias) {
            return new AliasJson(alias.alias(), String.valueOf(alias.version()));
        }
    }

    record ModelVersionJson(String name, String version, Long creationTimestamp, Long lastUpdatedTimestamp,
                            String userId, String currentStage, String description, String source, String runId,
                            String status, String statusMessage, List<KeyValue> tags, String runLink,
                            List<String> aliases) {
        static ModelVersionJson of(ModelVersion v) {
            return new ModelVersionJson(v.name(), String.valueOf(v.version()), v.creationTimestamp(),
                    v.lastUpdatedTimestamp(), v.userId(), v.currentStage().wireName(), v.description(), v.source(),
                    v.runId(), v.status().name(), v.statusMessage(), MlflowShapes.list(v.tags(), MlflowRegistryShapes::tag),
                    v.runLink(), v.aliases().isEmpty() ? null : v.aliases());
        }
    }

    /** {@code user_id} carries the model's owner: MLflow has the field but does not fill it. */
    record RegisteredModelJson(String name, Long creationTimestamp, Long lastUpdatedTimestamp, String userId,
                               String description, List<ModelVersionJson> latestVersions, List<KeyValue> tags,
                               List<AliasJson> aliases) {
        static RegisteredModelJson of(RegisteredModel m) {
            return new RegisteredModelJson(m.name(), m.creationTimestamp(), m.lastUpdatedTimestamp(), m.owner(),
                    m.description(), MlflowShapes.list(m.latestVersions(), ModelVersionJson::of),
                    MlflowShapes.list(m.tags(), MlflowRegistryShapes::tag), MlflowShapes.list(m.aliases(), AliasJson::of));
        }
    }

    // responses

    record RegisteredModelResponse(RegisteredModelJson registeredModel) {
        static RegisteredModelResponse of(RegisteredModel model) {
            return new RegisteredModelResponse(RegisteredModelJson.of(model));
        }
    }

    record SearchRegisteredModelsResponse(List<RegisteredModelJson> registeredModels, String nextPageToken) {
    }

    record ModelVersionResponse(ModelVersionJson modelVersion) {
        static ModelVersionResponse of(ModelVersion version) {
            return new ModelVersionResponse(ModelVersionJson.of(version));
        }
    }

    record ModelVersionsResponse(List<ModelVersionJson> modelVersions) {
    }

    record SearchModelVersionsResponse(List<ModelVersionJson> modelVersions, String nextPageToken) {
    }

    record DownloadUriResponse(String artifactUri) {
    }

    private static KeyValue tag(Tag tag) {
        return new KeyValue(tag.key(), tag.value());
    }
}
