package dev.keel.api.http;

import dev.keel.api.Tag;
import dev.keel.api.registry.ModelVersion;
import dev.keel.api.registry.NewModelVersion;
import dev.keel.api.registry.Stage;
import dev.keel.core.KeelException;

import java.util.List;
import java.util.Map;

/**
 * The shapes of the registry's native API that are not domain records: bodies whose model name
 * or version travels in the path, and the wrappers of answers that are not one record.
 */
public final class RegistryBodies {
    private RegistryBodies() {
    }

    /** {@code POST /api/v1/models/{name}/rename}: the new name. */
    public record ModelRename(String newName) {
    }

    /** {@code POST /api/v1/models/{name}/versions}: a version from a run's artifacts; the name is in the path. */
    public record NewModelVersionBody(String source, String runId, String description, List<Tag> tags, String runLink,
                                      Map<String, String> expectedSha256) {
        public static NewModelVersionBody of(NewModelVersion request) {
            return new NewModelVersionBody(request.source(), request.runId(), request.description(), request.tags(),
                    request.runLink(), request.expectedSha256());
        }

        public NewModelVersion toRequest(String name) {
            return new NewModelVersion(name, source, runId, description, tags, runLink, expectedSha256);
        }
    }

    /** {@code PATCH /api/v1/models/{name}/versions/{version}}: the new description. */
    public record VersionDescription(String description) {
    }

    /**
     * {@code POST …/versions/{version}/stage}. The stage is read as text so that MLflow's spelling
     * ("Production") and the enum's ("PRODUCTION") both work and anything else is a 400 naming it.
     */
    public record StageTransition(String stage, Boolean archiveExistingVersions) {
        public Stage toStage() {
            if (stage == null) {
                throw KeelException.invalid("missing value for required parameter 'stage'");
            }
            return Stage.parse(stage);
        }

        public boolean archive() {
            return archiveExistingVersions != null && archiveExistingVersions;
        }
    }

    /** {@code PUT /api/v1/models/{name}/aliases/{alias}}: the version the alias points at. */
    public record AliasTarget(Long version) {
        public long toVersion() {
            if (version == null) {
                throw KeelException.invalid("missing value for required parameter 'version'");
            }
            return version;
        }
    }

    /** {@code GET /api/v1/models/{name}/latest-versions}: the newest version in each stage asked for. */
    public record ModelVersionList(List<ModelVersion> versions) {
        public ModelVersionList {
            versions = List.copyOf(versions);
        }
    }

    /** {@code GET …/versions/{version}/download-uri}: where MLflow's clients fetch the files. */
    public record DownloadUri(String artifactUri) {
    }
}
