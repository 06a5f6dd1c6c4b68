package dev.keel.serving.endpoint;

import dev.keel.api.serving.Endpoint;
import dev.keel.api.serving.ServingName;
import dev.keel.core.Actor;
import dev.keel.core.Authorizer;
import dev.keel.core.Checks;
import dev.keel.core.Permission;
import dev.keel.core.Resource;
import dev.keel.core.Visibility;
import dev.keel.serving.endpoint.sql.JdbcEndpointStore;
import dev.keel.store.AuditedStore;

import java.util.Set;

/**
 * Who may act on an endpoint: an endpoint is its models' data, so an actor needs the permission
 * on every registered model it serves (or is to serve), READ to see it and USE to change it.
 */
final class EndpointAccess {
    private final AuditedStore<JdbcEndpointStore> store;
    private final Authorizer authorizer;

    EndpointAccess(AuditedStore<JdbcEndpointStore> store, Authorizer authorizer) {
        this.store = store;
        this.authorizer = authorizer;
    }

    /** The endpoint as stored now, before a change is checked and made on it; 404 when there is none. */
    Endpoint existing(String name) {
        ServingName.requireValid("name", name);
        return store.read(tables -> StoredEndpoints.existing(tables, name));
    }

    /** The endpoint, for an actor who may read every model it serves. */
    Endpoint readable(Actor actor, String name) {
        Endpoint endpoint = existing(name);
        requireOnModels(actor, Permission.READ, endpoint.models());
        return endpoint;
    }

    void requireOnModels(Actor actor, Permission permission, Set<String> models) {
        Checks.requireNonNull("actor", actor);
        for (String model : models) {
            authorizer.require(actor, permission, Resource.model(model));
        }
    }

    Visibility visibleModels(Actor actor) {
        Checks.requireNonNull("actor", actor);
        return authorizer.visible(actor, Resource.Kind.REGISTERED_MODEL);
    }
}
