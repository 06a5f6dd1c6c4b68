package dev.keel.server.http;

import dev.keel.api.access.AccessService;
import dev.keel.api.http.AccessBodies.GrantBody;
import dev.keel.api.http.AccessBodies.GrantList;
import dev.keel.api.http.AccessBodies.IssuedTokenBody;
import dev.keel.api.http.AccessBodies.NewTokenBody;
import dev.keel.api.http.AccessBodies.NewUserBody;
import dev.keel.api.http.AccessBodies.TokenList;
import dev.keel.api.http.AccessBodies.UserList;
import dev.keel.core.Checks;
import dev.keel.core.KeelException;
import dev.keel.core.Permission;
import dev.keel.core.Resource;
import dev.keel.core.Role;

import java.util.List;

import static dev.keel.api.http.AccessApi.*;

/**
 * Users, API tokens and permission grants ({@link dev.keel.api.http.AccessApi}): parse, call
 * {@link AccessService}, render. Who may do what (admins create users; MANAGE grants) is
 * decided there.
 */
public record AccessRoutes(AccessService access) {

    public List<Route> routes(RouteBinder bind) {
        return List.of(
                bind.answer(CREATE_USER, x -> {
                    NewUserBody body = x.body();
                    return access.createUser(x.actor(), body.name(), body.password(),
                            Role.parse("role", body.role() == null ? "member" : body.role()));
                }),
                bind.answer(LIST_USERS, x -> new UserList(access.listUsers(x.actor()))),
                bind.answer(CREATE_TOKEN, x -> {
                    NewTokenBody body = x.body();
                    return IssuedTokenBody.of(access.createToken(x.actor(), body.user(), body.description(),
                            body.expiresAt()));
                }),
                bind.answer(LIST_TOKENS, x -> new TokenList(access.listTokens(x.actor(), x.query("user")))),
                bind.perform(REVOKE_TOKEN, x -> access.revokeToken(x.actor(), x.path("token_id"))),
                bind.answer(GRANT, x -> {
                    GrantBody body = x.body();
                    Checks.requireNonBlank("user", body.user());
                    return access.grant(x.actor(), resource(body.resourceKind(), body.resourceId()), body.user(),
                            Permission.parse("permission", body.permission()));
                }),
                bind.answer(GRANTS, x -> new GrantList(access.grants(x.actor(),
                        resource(x.query("resource_kind"), x.query("resource_id"))))),
                bind.perform(REVOKE, x -> access.revoke(x.actor(), resource(x.query("resource_kind"),
                        x.query("resource_id")), x.query("user"))));
    }

    private static Resource resource(String kind, String id) {
        if (id == null || id.isBlank()) {
            throw KeelException.invalid("'resource_id' is required: an experiment id or a registered model name");
        }
        return new Resource(Resource.Kind.parse("resource_kind", kind), id);
    }
}
