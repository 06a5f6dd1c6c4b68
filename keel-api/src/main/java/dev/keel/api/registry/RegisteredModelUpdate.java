package dev.keel.api.registry;

import dev.keel.core.Checks;

/** A change to a registered model; a null field stays as it is. */
public record RegisteredModelUpdate(String description, RiskTier riskTier) {
    public RegisteredModelUpdate {
        Checks.requireMaxLength("description", description, RegistryLimits.MAX_DESCRIPTION_LENGTH);
    }

    public static RegisteredModelUpdate description(String description) {
        return new RegisteredModelUpdate(description, null);
    }

    public static RegisteredModelUpdate riskTier(RiskTier tier) {
        return new RegisteredModelUpdate(null, tier);
    }
}
