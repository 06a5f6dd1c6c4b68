package dev.keel.registry;

import dev.keel.api.registry.Stage;
import dev.keel.core.AuditAction;
import dev.keel.registry.sql.JdbcModelStore;
import dev.keel.store.AuditedStore.Events;

import java.sql.SQLException;
import java.util.Map;

import static dev.keel.core.AuditLog.summary;

/**
 * Moving a version to a stage, the one way it is done: by a direct transition or by an
 * approval's last decision. With {@code archiveExistingVersions} the other versions in that
 * stage move to Archived in the same transaction. Recorded as {@code model_version.transition_stage},
 * naming the approval when one applied it.
 */
public record StageChange(String model, long version, Stage stage, boolean archiveExistingVersions) {

    /** Applies the change to the model's rows at {@code now}; {@code approval} is the request that applied it, or null. */
    public void apply(JdbcModelStore store, long modelId, long now, Events events, Long approval) throws SQLException {
        store.setStage(modelId, version, stage, now);
        if (archiveExistingVersions) {
            store.archiveOthers(modelId, stage, version, now);
        }
        store.touchModel(modelId, now);
        Map<String, Object> summary = summary("stage", stage.wireName(), "archive_existing_versions",
                archiveExistingVersions);
        if (approval != null) {
            summary.put("approval", approval);
        }
        events.record(AuditAction.MODEL_VERSION_TRANSITION_STAGE, RegistryRules.versionResource(model, version), summary);
    }
}
