package dev.keel.registry;

import dev.keel.api.registry.ModelVersion;
import dev.keel.api.registry.RegisteredModel;
import dev.keel.api.registry.card.ModelCard;
import dev.keel.api.tracking.TrackingService;
import dev.keel.core.Actor;
import dev.keel.core.AuditAction;
import dev.keel.core.Permission;
import dev.keel.registry.card.CardChecks;
import dev.keel.registry.card.ModelCardDraft;
import dev.keel.registry.card.ModelCardJson;
import dev.keel.registry.sql.JdbcModelStore;
import dev.keel.registry.sql.JdbcModelStore.ModelRow;
import dev.keel.registry.sql.JdbcModelCards.StoredCard;
import dev.keel.store.AuditedStore;

import java.time.Clock;

import static dev.keel.core.AuditLog.summary;
import static dev.keel.registry.RegistryRules.existing;
import static dev.keel.registry.RegistryRules.existingVersion;
import static dev.keel.registry.RegistryRules.full;
import static dev.keel.registry.RegistryRules.versionResource;

/**
 * Model cards: the one saved for a version, or a draft prefilled from its manifest, its source
 * run and its registered model. The manifest's facts always come from the manifest, so they are
 * not stored with the card.
 */
record ModelCards(AuditedStore<JdbcModelStore> store, RegistryAccess access, TrackingService tracking, Clock clock) {

    ModelCard get(Actor actor, String name, long version) {
        access.requireOnVersion(actor, Permission.READ, name, version);
        record Found(RegisteredModel model, ModelVersion version, StoredCard card) {
        }
        Found found = store.read(tables -> {
            ModelRow model = existing(tables, name);
            ModelVersion full = full(tables, existingVersion(tables, model, version));
            return new Found(RegistryRules.model(tables, name), full, tables.cards().find(model.modelId(), version).orElse(null));
        });
        if (found.card() != null) {
            return ModelCardJson.read(found.card().json())
                    .describing(name, version, found.model().riskTier(), found.version().manifest())
                    .savedBy(found.card().updatedBy(), found.card().lastUpdatedTime());
        }
        return ModelCardDraft.of(found.model(), found.version(), SourceRun.of(tracking, actor, found.version()));
    }

    ModelCard update(Actor actor, String name, long version, ModelCard card) {
        access.requireOnVersion(actor, Permission.EDIT, name, version);
        ModelCard checked = CardChecks.requireValid(card, name, version);
        long now = clock.millis();
        return store.write(actor, (tables, events) -> {
            ModelRow model = existing(tables, name);
            ModelVersion full = full(tables, existingVersion(tables, model, version));
            ModelCard saved = checked.describing(name, version, model.riskTier(), full.manifest()).savedBy(actor.name(), now);
            tables.cards().upsert(model.modelId(), version, ModelCardJson.write(saved.withoutManifest()), actor.name(), now);
            tables.touchVersion(model.modelId(), version, now);
            events.record(AuditAction.MODEL_CARD_UPDATE, versionResource(name, version) + "/card", summary());
            return saved;
        });
    }
}
