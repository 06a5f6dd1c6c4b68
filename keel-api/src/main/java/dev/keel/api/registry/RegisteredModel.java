package dev.keel.api.registry;

import dev.keel.api.Tag;

import java.util.List;

/**
 * A model the organisation answers for, under a unique name: who owns it, how risky it is,
 * and its versions. {@code latestVersions} holds the newest version in each stage, as MLflow's
 * {@code latest_versions} does; {@code aliases} are sorted by name.
 */
public record RegisteredModel(String name, String description, String owner, RiskTier riskTier,
                              long creationTimestamp, long lastUpdatedTimestamp, List<Tag> tags,
                              List<Alias> aliases, List<ModelVersion> latestVersions) {
    public RegisteredModel {
        tags = tags == null ? List.of() : List.copyOf(tags);
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        latestVersions = latestVersions == null ? List.of() : List.copyOf(latestVersions);
    }
}
