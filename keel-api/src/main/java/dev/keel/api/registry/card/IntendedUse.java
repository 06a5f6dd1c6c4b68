package dev.keel.api.registry.card;

import java.util.List;

/** What the model is for, who is meant to use it, and what it must not be used for. */
public record IntendedUse(List<String> primaryUses, List<String> primaryUsers, List<String> outOfScopeUses) {
    public static final IntendedUse NONE = new IntendedUse(List.of(), List.of(), List.of());

    public IntendedUse {
        primaryUses = ModelCard.copy(primaryUses);
        primaryUsers = ModelCard.copy(primaryUsers);
        outOfScopeUses = ModelCard.copy(outOfScopeUses);
    }
}
