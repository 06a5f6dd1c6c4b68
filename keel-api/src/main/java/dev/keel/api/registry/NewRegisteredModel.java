package dev.keel.api.registry;

import dev.keel.api.Tag;
import dev.keel.core.Checks;

import java.util.List;

/** What it takes to register a model name. The actor becomes its owner; a null tier means LOW. */
public record NewRegisteredModel(String name, String description, RiskTier riskTier, List<Tag> tags) {
    public NewRegisteredModel {
        ModelName.requireValid("name", name);
        Checks.requireMaxLength("description", description, RegistryLimits.MAX_DESCRIPTION_LENGTH);
        riskTier = riskTier == null ? RiskTier.LOW : riskTier;
        tags = tags == null ? List.of() : List.copyOf(tags);
        Checks.requireMaxSize("tags", tags, RegistryLimits.MAX_TAGS);
    }

    public static NewRegisteredModel named(String name) {
        return new NewRegisteredModel(name, null, null, List.of());
    }
}
