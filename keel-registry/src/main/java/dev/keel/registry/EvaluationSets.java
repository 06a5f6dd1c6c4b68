package dev.keel.registry;

import dev.keel.api.approval.EvaluationSet;
import dev.keel.api.approval.EvaluationSetSummary;
import dev.keel.api.approval.RecordedEvaluationSet;
import dev.keel.core.Actor;
import dev.keel.core.AuditAction;
import dev.keel.core.Checks;
import dev.keel.core.KeelException;
import dev.keel.core.Permission;
import dev.keel.registry.approval.EvaluationSetJson;
import dev.keel.registry.sql.JdbcEvaluationSetStore;
import dev.keel.registry.sql.JdbcEvaluationSetStore.StoredEvaluationSet;
import dev.keel.registry.sql.JdbcModelStore;
import dev.keel.registry.sql.JdbcModelStore.ModelRow;
import dev.keel.store.AuditedStore;

import java.time.Clock;
import java.util.List;

import static dev.keel.core.AuditLog.summary;
import static dev.keel.registry.RegistryRules.existing;
import static dev.keel.registry.RegistryRules.existingVersion;
import static dev.keel.registry.RegistryRules.versionResource;

/** Evaluation sets: the data a version's fairness checks are computed on, one per version, kept with its SHA-256. */
record EvaluationSets(AuditedStore<JdbcModelStore> store, RegistryAccess access, Clock clock) {

    EvaluationSetSummary set(Actor actor, String name, long version, EvaluationSet set) {
        access.requireOnVersion(actor, Permission.EDIT, name, version);
        Checks.requireNonNull("evaluation_set", set);
        // hashed before the transaction: a large set never holds the write lock while it is serialised
        String content = EvaluationSetJson.write(set);
        String sha256 = EvaluationSetJson.sha256(content);
        List<String> attributes = List.copyOf(set.sensitiveAttributes().keySet());
        long now = clock.millis();
        return store.write(actor, (tables, events) -> {
            ModelRow model = existing(tables, name);
            existingVersion(tables, model, version);
            new JdbcEvaluationSetStore(tables).upsert(model.modelId(), version,
                    new StoredEvaluationSet(set.rows(), attributes, sha256, actor.name(), now, content));
            tables.touchVersion(model.modelId(), version, now);
            events.record(AuditAction.MODEL_VERSION_SET_EVALUATION_SET, versionResource(name, version) + "/evaluation",
                    summary("rows", set.rows(), "attributes", attributes, "sha256", sha256));
            return new EvaluationSetSummary(name, version, set.rows(), attributes, sha256, actor.name(), now);
        });
    }

    RecordedEvaluationSet get(Actor actor, String name, long version) {
        access.requireOnVersion(actor, Permission.READ, name, version);
        StoredEvaluationSet stored = store.read(tables -> {
            ModelRow model = existing(tables, name);
            existingVersion(tables, model, version);
            return new JdbcEvaluationSetStore(tables).find(model.modelId(), version)
                    .orElseThrow(() -> KeelException.notFound("version " + version + " of registered model '" + name
                            + "' has no evaluation set; record one with 'keel models evaluation set " + name + " "
                            + version + " --file …'"));
        });
        return new RecordedEvaluationSet(new EvaluationSetSummary(name, version, stored.rows(), stored.attributes(),
                stored.sha256(), stored.recordedBy(), stored.recordedTime()), EvaluationSetJson.read(stored.content()));
    }
}
