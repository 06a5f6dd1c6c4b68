package dev.keel.registry;

import dev.keel.api.registry.ModelVersion;
import dev.keel.api.registry.RegisteredModel;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import dev.keel.registry.sql.JdbcModelStore;
import dev.keel.registry.sql.JdbcModelStore.ModelRow;
import dev.keel.registry.sql.JdbcModelStore.VersionRow;

import java.sql.SQLException;
import java.util.List;

/** The rules every registry call shares: what must exist, the refusals' words, and the audit resources' paths. */
public final class RegistryRules {
    private RegistryRules() {
    }

    public static ModelRow existing(JdbcModelStore store, String name) throws SQLException {
        return store.modelByName(name)
                .orElseThrow(() -> KeelException.notFound("registered model '" + name + "' does not exist"));
    }

    public static VersionRow existingVersion(JdbcModelStore store, ModelRow model, long version) throws SQLException {
        return store.version(model.modelId(), version).orElseThrow(() -> KeelException.notFound(
                "version " + version + " of registered model '" + model.name() + "' does not exist"));
    }

    /** The registered model with its tags, aliases and latest versions. */
    static RegisteredModel model(JdbcModelStore store, String name) throws SQLException {
        return store.registeredModels(List.of(existing(store, name))).get(0);
    }

    /** The version with its manifest and tags. */
    static ModelVersion full(JdbcModelStore store, VersionRow row) throws SQLException {
        return store.modelVersions(List.of(row)).get(0);
    }

    static KeelException needsApproval(String name, long version, String change, String option) {
        return new KeelException(ErrorCode.PERMISSION_DENIED, change + " needs an approval: request it with "
                + "'keel approvals request " + name + " " + version + " " + option + "'");
    }

    static KeelException noAlias(String name, String alias) {
        return KeelException.notFound("registered model '" + name + "' has no alias '" + alias + "'");
    }

    /** The audit resource of a registered model. */
    public static String modelResource(String name) {
        return "model/" + name;
    }

    /** The audit resource of a model version. */
    public static String versionResource(String name, long version) {
        return "model/" + name + "/version/" + version;
    }
}
