package dev.keel.api.registry.card;

import dev.keel.api.registry.RiskTier;

import java.util.List;
import java.util.Map;

/**
 * Who made the model and what it is: the registered name and version it documents, a plain
 * overview, its owners, license and references (papers, tickets, repositories), the model's
 * risk tier and the tags of the model and version.
 */
public record ModelDetails(String name, long version, String overview, List<Owner> owners, String license,
                           List<String> references, RiskTier riskTier, Map<String, String> tags) {
    public static final ModelDetails NONE = new ModelDetails(null, 0, null, List.of(), null, List.of(), null, Map.of());

    public ModelDetails {
        owners = ModelCard.copy(owners);
        references = ModelCard.copy(references);
        tags = ModelCard.sorted(tags);
    }

    public ModelDetails identified(String name, long version, RiskTier riskTier) {
        return new ModelDetails(name, version, overview, owners, license, references, riskTier, tags);
    }
}
