package dev.keel.registry;

import dev.keel.api.registry.ModelName;
import dev.keel.core.Actor;
import dev.keel.core.Authorizer;
import dev.keel.core.Permission;
import dev.keel.core.Resource;

/**
 * Who may act on a registered model's data: its versions, aliases, tags, cards and evaluation
 * sets are the model's, so each is checked on the model. Each check validates the name (and
 * the version number) first, so a malformed one is a 400 naming it before anything is looked up.
 */
record RegistryAccess(Authorizer authorizer) {

    void requireOnModel(Actor actor, Permission permission, String name) {
        ModelName.requireValid("name", name);
        authorizer.require(actor, permission, Resource.model(name));
    }

    void requireOnVersion(Actor actor, Permission permission, String name, long version) {
        requireOnModel(actor, permission, name);
        RegistryRules.requireVersionNumber(version);
    }
}
