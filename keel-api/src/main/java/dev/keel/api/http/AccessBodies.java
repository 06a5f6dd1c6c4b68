package dev.keel.api.http;

import dev.keel.api.access.ApiToken;
import dev.keel.api.access.Grant;
import dev.keel.api.access.IssuedToken;
import dev.keel.api.access.User;

import java.util.List;

/** The wire shapes of users, tokens and grants that are not domain records: request bodies and the lists answered. */
public final class AccessBodies {
    private AccessBodies() {
    }

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
        public static IssuedTokenBody of(IssuedToken issued) {
            return new IssuedTokenBody(issued.token(), issued.secret());
        }

        public IssuedToken toIssued() {
            return new IssuedToken(token, secret);
        }
    }

    public record TokenList(List<ApiToken> tokens) {
    }

    /** A permission to grant on one experiment (by id) or registered model (by name). */
    public record GrantBody(String resourceKind, String resourceId, String user, String permission) {
    }

    public record GrantList(List<Grant> grants) {
    }
}
