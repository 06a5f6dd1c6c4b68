package dev.keel.governance.access;

import dev.keel.api.access.ApiToken;
import dev.keel.api.access.IssuedToken;
import dev.keel.api.access.User;
import dev.keel.core.Actor;
import dev.keel.core.AuditAction;
import dev.keel.core.Checks;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import dev.keel.core.Role;
import dev.keel.governance.access.sql.JdbcAccounts;
import dev.keel.governance.access.sql.JdbcAccounts.UserRow;
import dev.keel.store.AuditedStore;
import dev.keel.store.AuditedStore.Events;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import static dev.keel.core.AuditLog.summary;

/**
 * Who can sign in: users (with an Argon2id password, or none and tokens only), the first admin,
 * and API tokens, whose secret is shown once and kept only as its SHA-256.
 */
record Accounts(AuditedStore<JdbcAccounts> store, Permissions permissions, Clock clock, SecureRandom random) {

    /** A token's {@code last_used_at} is refreshed at most this often: a sign-in should not be a write. */
    static final long LAST_USED_RESOLUTION_MILLIS = 60_000;
    private static final Actor KEEL = new Actor("keel");

    // users

    User createUser(Actor by, String name, String password, Role role) {
        permissions.requireAdmin(by, "create users");
        UserName.requireValid(name);
        Checks.requireNonNull("role", role);
        String hash = password == null ? null : PasswordHash.of(requireStrong(password));
        long now = clock.millis();
        return store.write(by, (accounts, events) -> {
            if (accounts.user(name).isPresent()) {
                throw KeelException.alreadyExists("user '" + name + "' already exists");
            }
            accounts.insertUser(name, hash, role, now);
            events.record(AuditAction.USER_CREATE, "user/" + name, summary("role", role.name(), "password", hash != null));
            return new User(name, role, hash != null, now);
        });
    }

    List<User> listUsers(Actor by) {
        permissions.requireAdmin(by, "list users");
        return store.read(JdbcAccounts::users);
    }

    Optional<User> user(String name) {
        return store.read(accounts -> accounts.user(name).map(UserRow::user));
    }

    /** The first admin, once: see {@link AccessControl#bootstrap}. */
    Optional<IssuedToken> bootstrap(String adminPassword, Duration tokenLifetime) {
        String hash = adminPassword == null || adminPassword.isEmpty() ? null
                : PasswordHash.of(requireStrong(adminPassword));
        long now = clock.millis();
        return store.write(KEEL, (accounts, events) -> {
            if (accounts.anyoneHas(Role.ADMIN)) {
                events.unchanged();
                return Optional.<IssuedToken>empty();
            }
            if (accounts.user(AccessControl.ADMIN).isPresent()) {
                throw new KeelException(ErrorCode.BAD_REQUEST, "user '" + AccessControl.ADMIN + "' exists but is no "
                        + "admin; Keel will not make it one by itself");
            }
            accounts.insertUser(AccessControl.ADMIN, hash, Role.ADMIN, now);
            events.record(AuditAction.USER_CREATE, "user/" + AccessControl.ADMIN, summary("role", Role.ADMIN.name(),
                    "password", hash != null, "bootstrap", true));
            if (hash != null) {
                return Optional.<IssuedToken>empty();
            }
            return Optional.of(issue(accounts, events, AccessControl.ADMIN, "bootstrap", now + tokenLifetime.toMillis(),
                    now));
        });
    }

    // tokens

    IssuedToken createToken(Actor by, String userName, String description, Long expiresAt) {
        String owner = userName == null ? by.name() : userName;
        permissions.requireSelfOrAdmin(by, owner, "create tokens for");
        String text = description == null ? "" : description;
        Checks.requireMaxLength("description", text, 256);
        long now = clock.millis();
        if (expiresAt != null && expiresAt <= now) {
            throw KeelException.invalid("'expires_at' must be in the future (got " + expiresAt + ")");
        }
        return store.write(by, (accounts, events) -> {
            if (accounts.user(owner).isEmpty()) {
                throw KeelException.notFound("user '" + owner + "' does not exist");
            }
            return issue(accounts, events, owner, text, expiresAt, now);
        });
    }

    List<ApiToken> listTokens(Actor by, String userName) {
        String owner = userName == null ? by.name() : userName;
        permissions.requireSelfOrAdmin(by, owner, "list the tokens of");
        return store.read(accounts -> accounts.tokensOf(owner));
    }

    void revokeToken(Actor by, String tokenId) {
        Checks.requireNonBlank("token_id", tokenId);
        long now = clock.millis();
        store.write(by, (accounts, events) -> {
            ApiToken token = accounts.token(tokenId)
                    .orElseThrow(() -> KeelException.notFound("token '" + tokenId + "' does not exist"));
            permissions.requireSelfOrAdmin(by, token.userName(), "revoke the tokens of");
            if (token.revokedAt() != null) {
                throw KeelException.invalid("token '" + tokenId + "' is already revoked");
            }
            accounts.revokeToken(tokenId, now);
            events.record(AuditAction.TOKEN_REVOKE, "user/" + token.userName() + "/token/" + tokenId, summary());
            return null;
        });
    }

    /** A new random secret for {@code owner}, stored as its SHA-256 and recorded (by the events' actor). */
    private IssuedToken issue(JdbcAccounts accounts, Events events, String owner, String description, Long expiresAt,
                              long now) throws SQLException {
        byte[] secretBytes = new byte[32];
        random.nextBytes(secretBytes);
        byte[] idBytes = new byte[8];
        random.nextBytes(idBytes);
        String secret = AccessControl.TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
        ApiToken token = new ApiToken(HexFormat.of().formatHex(idBytes), owner, description, now, expiresAt, null, null);
        accounts.insertToken(token, sha256(secret));
        events.record(AuditAction.TOKEN_CREATE, "user/" + owner + "/token/" + token.tokenId(),
                summary("description", description, "expires_at", expiresAt));
        return new IssuedToken(token, secret);
    }

    // signing in

    Optional<Actor> authenticateToken(String secret) {
        if (secret == null || !secret.startsWith(AccessControl.TOKEN_PREFIX)) {
            return Optional.empty();
        }
        long now = clock.millis();
        String digest = sha256(secret);
        Optional<ApiToken> found = store.read(accounts -> accounts.tokenBySecret(digest));
        if (found.isEmpty() || !found.get().activeAt(now)) {
            return Optional.empty();
        }
        ApiToken token = found.get();
        if (token.lastUsedAt() == null || now - token.lastUsedAt() >= LAST_USED_RESOLUTION_MILLIS) {
            JdbcAccounts.recordUse(store.database(), token.tokenId(), now);
        }
        return Optional.of(new Actor(token.userName()));
    }

    Optional<Actor> authenticatePassword(String name, String password) {
        if (name == null || name.isBlank() || password == null) {
            return Optional.empty();
        }
        Optional<UserRow> row = store.read(accounts -> accounts.user(name));
        return row.filter(r -> PasswordHash.matches(password, r.passwordHash())).map(r -> new Actor(r.name()));
    }

    private static String requireStrong(String password) {
        if (password.length() < PasswordHash.MIN_LENGTH) {
            throw KeelException.invalid("'password' must have at least " + PasswordHash.MIN_LENGTH + " characters");
        }
        Checks.requireMaxLength("password", password, 1024);
        return password;
    }

    static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
