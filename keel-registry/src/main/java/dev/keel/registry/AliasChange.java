package dev.keel.registry;

import dev.keel.core.AuditAction;
import dev.keel.registry.sql.JdbcModelStore;
import dev.keel.store.AuditedStore.Events;

import java.sql.SQLException;
import java.util.Map;

import static dev.keel.core.AuditLog.summary;

/**
 * Pointing an alias at a version, the one way it is done: directly or by an approval's last
 * decision (a protected alias). Recorded as {@code model_alias.set}, naming the approval when one
 * applied it.
 */
public record AliasChange(String model, String alias, long version) {

    /** Applies the change to the model's rows at {@code now}; {@code approval} is the request that applied it, or null. */
    public void apply(JdbcModelStore store, long modelId, long now, Events events, Long approval) throws SQLException {
        store.setAlias(modelId, alias, version);
        store.touchModel(modelId, now);
        Map<String, Object> summary = summary("version", version);
        if (approval != null) {
            summary.put("approval", approval);
        }
        events.record(AuditAction.MODEL_ALIAS_SET, RegistryRules.modelResource(model) + "/alias/" + alias, summary);
    }
}
