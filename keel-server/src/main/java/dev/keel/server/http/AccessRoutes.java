package dev.keel.server.http;

import dev.keel.api.access.AccessService;
import dev.keel.api.access.ApiToken;
import dev.keel.api.access.Grant;
import dev.keel.api.access.IssuedToken;
import dev.keel.api.access.User;
import dev.keel.core.Checks;
import dev.keel.core.KeelException;
import dev.keel.core.Permission;
import dev.keel.core.Resource;
import dev.keel.core.Role;

import java.util.List;

/**
 * Users, API tokens and permission grants under {@code /api/v1/users}, {@code /api/v1/tokens}
 * and {@code /api/v1/permissions}: parse, call {@link AccessService}, render. Who may do what
 * (admins create users; MANAGE grants) is decided there.
 */
public final class AccessRoutes {

    /** A user to create; {@code password} may be absent (the user signs in by token). */
    public record NewUserBody(String name, String password, String role) {
    }

    public record UserList(List<User> users) {
    }

    /** A token to create: for {@code user} (the caller when absent), expiring at {@code expiresAt} (epoch ms) or never. */
    public record NewTokenBody(String user, String description, Long expiresAt) {
    }

    /** A token just created: the one answer that carries its secret. */
    public record IssuedTokenBody(ApiToken token, String secret) {
        static IssuedTokenBody of(IssuedToken issued) {
            return new IssuedTokenBody(issued.token(), issued.secret());
        }
    }

    public record TokenList(List<ApiToken> tokens) {
    }

    /** A permission to grant on one experiment (by id) or registered model (by name). */
    public record GrantBody(String resourceKind, String resourceId, String user, String permission) {
    }

    public record GrantList(List<Grant> grants) {
    }

    private final AccessService access;
    private final JsonBodies json;
    private final RequestActor actors;

    public AccessRoutes(AccessService access, JsonBodies json, RequestActor actors) {
        this.access = access;
        this.json = json;
        this.actors = actors;
    }

    public List<Route> routes() {
        return List.of(
                Route.post("/api/v1/users", "Create a user with a role (admin only); the password is optional")
                        .accepts(NewUserBody.class).returns(201, User.class)
                        .handledBy(ctx -> {
                            NewUserBody body = json.read(ctx, NewUserBody.class);
                            json.write(ctx, 201, access.createUser(actors.of(ctx), body.name(), body.password(),
                                    Role.parse("role", body.role() == null ? "member" : body.role())));
                        }),
                Route.get("/api/v1/users", "List users (admin only)").returns(UserList.class)
                        .handledBy(ctx -> json.write(ctx, 200, new UserList(access.listUsers(actors.of(ctx))))),
                Route.post("/api/v1/tokens", "Create an API token; its secret is in this answer only")
                        .accepts(NewTokenBody.class).returns(201, IssuedTokenBody.class)
                        .handledBy(ctx -> {
                            NewTokenBody body = json.read(ctx, NewTokenBody.class);
                            json.write(ctx, 201, IssuedTokenBody.of(access.createToken(actors.of(ctx), body.user(),
                                    body.description(), body.expiresAt())));
                        }),
                Route.get("/api/v1/tokens", "List a user's tokens, never their secrets")
                        .query(QueryParameter.of("user", String.class, "whose tokens (the caller's by default; others' for an admin)"))
                        .returns(TokenList.class)
                        .handledBy(ctx -> json.write(ctx, 200, new TokenList(access.listTokens(actors.of(ctx),
                                Queries.text(ctx, "user"))))),
                Route.delete("/api/v1/tokens/{token_id}", "Revoke a token at once (its owner or an admin)")
                        .handledBy(ctx -> {
                            access.revokeToken(actors.of(ctx), ctx.pathParam("token_id"));
                            ctx.status(204);
                        }),
                Route.put("/api/v1/permissions", "Grant a user a permission on an experiment or registered model (needs MANAGE on it)")
                        .accepts(GrantBody.class).returns(Grant.class)
                        .handledBy(ctx -> {
                            GrantBody body = json.read(ctx, GrantBody.class);
                            Checks.requireNonBlank("user", body.user());
                            json.write(ctx, 200, access.grant(actors.of(ctx), resource(body.resourceKind(), body.resourceId()),
                                    body.user(), Permission.parse("permission", body.permission())));
                        }),
                Route.get("/api/v1/permissions", "The grants on an experiment or registered model")
                        .query(QueryParameter.of("resource_kind", String.class, "EXPERIMENT or REGISTERED_MODEL"))
                        .query(QueryParameter.of("resource_id", String.class, "the experiment id or the model name"))
                        .returns(GrantList.class)
                        .handledBy(ctx -> json.write(ctx, 200, new GrantList(access.grants(actors.of(ctx),
                                resource(Queries.text(ctx, "resource_kind"), Queries.text(ctx, "resource_id")))))),
                Route.delete("/api/v1/permissions", "Take a user's grant away (needs MANAGE); they fall back to the default")
                        .query(QueryParameter.of("resource_kind", String.class, "EXPERIMENT or REGISTERED_MODEL"))
                        .query(QueryParameter.of("resource_id", String.class, "the experiment id or the model name"))
                        .query(QueryParameter.of("user", String.class, "whose grant"))
                        .handledBy(ctx -> {
                            access.revoke(actors.of(ctx), resource(Queries.text(ctx, "resource_kind"),
                                    Queries.text(ctx, "resource_id")), Queries.text(ctx, "user"));
                            ctx.status(204);
                        }));
    }

    private static Resource resource(String kind, String id) {
        if (id == null || id.isBlank()) {
            throw KeelException.invalid("'resource_id' is required: an experiment id or a registered model name");
        }
        return new Resource(Resource.Kind.parse("resource_kind", kind), id);
    }
}
