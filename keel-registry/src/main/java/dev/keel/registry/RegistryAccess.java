package dev.keel.registry;

import dev.keel.api.registry.ModelName;
import dev.keel.core.Actor;
import dev.keel.core.Authorizer;
import dev.keel.core.Checks;
import dev.keel.core.Permission;
import dev.keel.core.Resource;
import dev.keel.core.Visibility;
import dev.keel.registry.sql.SearchQuery;
import dev.keel.store.Dialect;
import dev.keel.store.search.Clause;
import dev.keel.store.search.OrderBy;

import java.util.List;

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
        Checks.requirePositive("version", version);
    }

    /** A search of {@code target} as {@code actor} asked for it (order, then filter, parsed), over the models they may read. */
    SearchQuery search(Dialect dialect, Actor actor, SearchQuery.Target target, String filter, List<String> orderBy) {
        List<OrderBy> order = target.parseOrderBy(orderBy);
        List<Clause> clauses = target.parseFilter(filter);
        // filtered inside the query: dropping rows from a page afterwards would leave it short and the paging wrong
        Visibility visible = authorizer.visible(actor, Resource.Kind.REGISTERED_MODEL);
        return new SearchQuery(dialect, target, clauses, order, visible);
    }
}
