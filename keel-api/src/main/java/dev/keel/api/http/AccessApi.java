package dev.keel.api.http;

import dev.keel.api.access.Grant;
import dev.keel.api.access.User;
import dev.keel.api.http.AccessBodies.GrantBody;
import dev.keel.api.http.AccessBodies.GrantList;
import dev.keel.api.http.AccessBodies.IssuedTokenBody;
import dev.keel.api.http.AccessBodies.NewTokenBody;
import dev.keel.api.http.AccessBodies.NewUserBody;
import dev.keel.api.http.AccessBodies.TokenList;
import dev.keel.api.http.AccessBodies.UserList;

/**
 * Users, API tokens and permission grants over HTTP, under {@code /api/v1/users},
 * {@code /api/v1/tokens} and {@code /api/v1/permissions}: one {@link Operation} per
 * {@link dev.keel.api.access.AccessService} call.
 */
public final class AccessApi {
    private AccessApi() {
    }

    public static final Operation<NewUserBody, User> CREATE_USER =
            Operation.post("/api/v1/users", "Create a user with a role (admin only); the password is optional")
                    .accepts(NewUserBody.class).returns(201, User.class);

    public static final Operation<Void, UserList> LIST_USERS =
            Operation.get("/api/v1/users", "List users (admin only)").returns(UserList.class);

    public static final Operation<NewTokenBody, IssuedTokenBody> CREATE_TOKEN =
            Operation.post("/api/v1/tokens", "Create an API token; its secret is in this answer only")
                    .accepts(NewTokenBody.class).returns(201, IssuedTokenBody.class);

    public static final Operation<Void, TokenList> LIST_TOKENS =
            Operation.get("/api/v1/tokens", "List a user's tokens, never their secrets")
                    .query(QueryParameter.of("user", String.class, "whose tokens (the caller's by default; others' for an admin)"))
                    .returns(TokenList.class);

    public static final Operation<Void, Void> REVOKE_TOKEN =
            Operation.delete("/api/v1/tokens/{token_id}", "Revoke a token at once (its owner or an admin)");

    public static final Operation<GrantBody, Grant> GRANT =
            Operation.put("/api/v1/permissions", "Grant a user a permission on an experiment or registered model (needs MANAGE on it)")
                    .accepts(GrantBody.class).returns(Grant.class);

    public static final Operation<Void, GrantList> GRANTS =
            Operation.get("/api/v1/permissions", "The grants on an experiment or registered model")
                    .query(QueryParameter.of("resource_kind", String.class, "EXPERIMENT or REGISTERED_MODEL"))
                    .query(QueryParameter.of("resource_id", String.class, "the experiment id or the model name"))
                    .returns(GrantList.class);

    public static final Operation<Void, Void> REVOKE =
            Operation.delete("/api/v1/permissions", "Take a user's grant away (needs MANAGE); they fall back to the default")
                    .query(QueryParameter.of("resource_kind", String.class, "EXPERIMENT or REGISTERED_MODEL"))
                    .query(QueryParameter.of("resource_id", String.class, "the experiment id or the model name"))
                    .query(QueryParameter.of("user", String.class, "whose grant"));
}
