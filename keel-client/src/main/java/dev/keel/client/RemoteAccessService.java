package dev.keel.client;

import dev.keel.api.access.AccessService;
import dev.keel.api.access.ApiToken;
import dev.keel.api.access.Grant;
import dev.keel.api.access.IssuedToken;
import dev.keel.api.access.User;
import dev.keel.core.Actor;
import dev.keel.core.Checks;
import dev.keel.core.Permission;
import dev.keel.core.Resource;
import dev.keel.core.Role;

import java.util.List;
import java.util.Locale;

import static dev.keel.client.UriPaths.pair;
import static dev.keel.client.UriPaths.query;
import static dev.keel.client.UriPaths.segment;

/**
 * {@link AccessService} over a Keel server's native REST API ({@code /api/v1/users},
 * {@code /api/v1/tokens}, {@code /api/v1/permissions}). Who may manage what is decided by the
 * server, for the user the client signs in as.
 *
 * <p>The {@code by} argument is not sent: the server decides who a request acts as.
 */
public final class RemoteAccessService implements AccessService {
    private static final String USERS = "/api/v1/users";
    private static final String TOKENS = "/api/v1/tokens";
    private static final String PERMISSIONS = "/api/v1/permissions";

    private final KeelConnection server;

    RemoteAccessService(KeelConnection server) {
        this.server = server;
    }

    private record NewUserBody(String name, String password, String role) {
    }

    private record UserList(List<User> users) {
    }

    private record NewTokenBody(String user, String description, Long expiresAt) {
    }

    private record IssuedTokenBody(ApiToken token, String secret) {
    }

    private record TokenList(List<ApiToken> tokens) {
    }

    private record GrantBody(String resourceKind, String resourceId, String user, String permission) {
    }

    private record GrantList(List<Grant> grants) {
    }

    @Override
    public User createUser(Actor by, String name, String password, Role role) {
        Checks.requireNonNull("role", role);
        return server.exchange("POST", USERS, new NewUserBody(name, password, role.name().toLowerCase(Locale.ROOT)),
                User.class);
    }

    @Override
    public List<User> listUsers(Actor by) {
        return server.exchange("GET", USERS, null, UserList.class).users();
    }

    @Override
    public IssuedToken createToken(Actor by, String userName, String description, Long expiresAt) {
        IssuedTokenBody issued = server.exchange("POST", TOKENS, new NewTokenBody(userName, description, expiresAt),
                IssuedTokenBody.class);
        return new IssuedToken(issued.token(), issued.secret());
    }

    @Override
    public List<ApiToken> listTokens(Actor by, String userName) {
        return server.exchange("GET", TOKENS + query(List.<String[]>of(pair("user", userName))), null, TokenList.class).tokens();
    }

    @Override
    public void revokeToken(Actor by, String tokenId) {
        server.exchange("DELETE", TOKENS + "/" + segment("token_id", tokenId), null, (Class<?>) null);
    }

    @Override
    public Grant grant(Actor by, Resource resource, String userName, Permission permission) {
        Checks.requireNonNull("resource", resource);
        Checks.requireNonNull("permission", permission);
        return server.exchange("PUT", PERMISSIONS, new GrantBody(resource.kind().name(), resource.id(), userName,
                permission.name()), Grant.class);
    }

    @Override
    public void revoke(Actor by, Resource resource, String userName) {
        Checks.requireNonNull("resource", resource);
        server.exchange("DELETE", PERMISSIONS + grantQuery(resource, userName), null, (Class<?>) null);
    }

    @Override
    public List<Grant> grants(Actor by, Resource resource) {
        Checks.requireNonNull("resource", resource);
        return server.exchange("GET", PERMISSIONS + grantQuery(resource, null), null, GrantList.class).grants();
    }

    private static String grantQuery(Resource resource, String userName) {
        return query(List.of(pair("resource_kind", resource.kind().name()), pair("resource_id", resource.id()),
                pair("user", userName)));
    }
}
