package dev.keel.client;

import dev.keel.api.access.AccessService;
import dev.keel.api.access.ApiToken;
import dev.keel.api.access.Grant;
import dev.keel.api.access.IssuedToken;
import dev.keel.api.access.User;
import dev.keel.api.http.AccessApi;
import dev.keel.api.http.AccessBodies.GrantBody;
import dev.keel.api.http.AccessBodies.NewTokenBody;
import dev.keel.api.http.AccessBodies.NewUserBody;
import dev.keel.core.Actor;
import dev.keel.core.Checks;
import dev.keel.core.Permission;
import dev.keel.core.Resource;
import dev.keel.core.Role;

import java.util.List;
import java.util.Locale;

/**
 * {@link AccessService} over a Keel server's native REST API ({@link AccessApi}). Who may manage
 * what is decided by the server, for the user the client signs in as.
 *
 * <p>The {@code by} argument is not sent: the server decides who a request acts as.
 */
record RemoteAccessService(KeelConnection server) implements AccessService {
    @Override
    public User createUser(Actor by, String name, String password, Role role) {
        Checks.requireNonNull("role", role);
        return server.send(AccessApi.CREATE_USER.at().with(new NewUserBody(name, password, role.name().toLowerCase(Locale.ROOT))));
    }

    @Override
    public List<User> listUsers(Actor by) {
        return server.send(AccessApi.LIST_USERS.at()).users();
    }

    @Override
    public IssuedToken createToken(Actor by, String userName, String description, Long expiresAt) {
        return server.send(AccessApi.CREATE_TOKEN.at().with(new NewTokenBody(userName, description, expiresAt))).toIssued();
    }

    @Override
    public List<ApiToken> listTokens(Actor by, String userName) {
        return server.send(AccessApi.LIST_TOKENS.at().query("user", userName)).tokens();
    }

    @Override
    public void revokeToken(Actor by, String tokenId) {
        server.send(AccessApi.REVOKE_TOKEN.at(tokenId));
    }

    @Override
    public Grant grant(Actor by, Resource resource, String userName, Permission permission) {
        Checks.requireNonNull("resource", resource);
        Checks.requireNonNull("permission", permission);
        return server.send(AccessApi.GRANT.at().with(new GrantBody(resource.kind().name(), resource.id(), userName,
                permission.name())));
    }

    @Override
    public void revoke(Actor by, Resource resource, String userName) {
        Checks.requireNonNull("resource", resource);
        server.send(AccessApi.REVOKE.at().query("resource_kind", resource.kind().name())
                .query("resource_id", resource.id()).query("user", userName));
    }

    @Override
    public List<Grant> grants(Actor by, Resource resource) {
        Checks.requireNonNull("resource", resource);
        return server.send(AccessApi.GRANTS.at().query("resource_kind", resource.kind().name())
                .query("resource_id", resource.id())).grants();
    }
}
