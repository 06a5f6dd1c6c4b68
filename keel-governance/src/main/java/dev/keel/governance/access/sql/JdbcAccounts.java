package dev.keel.governance.access.sql;

import dev.keel.api.access.ApiToken;
import dev.keel.api.access.User;
import dev.keel.core.Role;
import dev.keel.store.Database;
import dev.keel.store.sql.Rows;
import dev.keel.store.sql.SqlText;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * The users and API tokens tables, read and written through one connection (and so inside
 * whatever transaction the caller holds). It knows SQL, not rules: access control decides who
 * may change what.
 */
public record JdbcAccounts(Connection connection) {

    private static final String TOKEN_COLUMNS =
            "token_id, user_name, description, created_at, expires_at, revoked_at, last_used_at";

    /** A user's row: the password hash stays here, a {@link User} only says whether there is one. */
    public record UserRow(String name, String passwordHash, Role role, long createdAt) {
        public User user() {
            return new User(name, role, passwordHash != null, createdAt);
        }
    }

    // users

    public Optional<UserRow> user(String name) throws SQLException {
        return Rows.first(connection, "SELECT name, password_hash, role, created_at FROM access_users WHERE name = ?",
                rows -> new UserRow(rows.getString(1), rows.getString(2), Role.valueOf(rows.getString(3)), rows.getLong(4)),
                name);
    }

    /** Every user, by name. */
    public List<User> users() throws SQLException {
        return Rows.all(connection, "SELECT name, role, password_hash, created_at FROM access_users ORDER BY name",
                rows -> new User(rows.getString(1), Role.valueOf(rows.getString(2)), rows.getString(3) != null,
                        rows.getLong(4)));
    }

    public boolean anyoneHas(Role role) throws SQLException {
        return Rows.first(connection, "SELECT 1 FROM access_users WHERE role = ?", rows -> true, role.name()).isPresent();
    }

    /** {@code passwordHash} may be null: the user signs in by token only. */
    public void insertUser(String name, String passwordHash, Role role, long createdAt) throws SQLException {
        Rows.update(connection, "INSERT INTO access_users (name, password_hash, role, created_at) VALUES (?, ?, ?, ?)",
                name, passwordHash, role.name(), createdAt);
    }

    // tokens

    /** Stores a new token as the SHA-256 of its secret; the secret itself is never stored. */
    public void insertToken(ApiToken token, String secretSha256) throws SQLException {
        Rows.update(connection, "INSERT INTO access_tokens (token_id, user_name, description, secret_sha256, created_at, "
                + "expires_at) VALUES (?, ?, ?, ?, ?, ?)", token.tokenId(), token.userName(), token.description(),
                secretSha256, token.createdAt(), SqlText.nullableBigint(token.expiresAt()));
    }

    /** The tokens of {@code owner}, newest first. */
    public List<ApiToken> tokensOf(String owner) throws SQLException {
        return Rows.all(connection, "SELECT " + TOKEN_COLUMNS + " FROM access_tokens WHERE user_name = ? "
                + "ORDER BY created_at DESC, token_id", JdbcAccounts::token, owner);
    }

    public Optional<ApiToken> token(String tokenId) throws SQLException {
        return oneToken("token_id", tokenId);
    }

    public Optional<ApiToken> tokenBySecret(String secretSha256) throws SQLException {
        return oneToken("secret_sha256", secretSha256);
    }

    private Optional<ApiToken> oneToken(String column, String value) throws SQLException {
        return Rows.first(connection, "SELECT " + TOKEN_COLUMNS + " FROM access_tokens WHERE " + column + " = ?",
                JdbcAccounts::token, value);
    }

    public void revokeToken(String tokenId, long revokedAt) throws SQLException {
        setTokenTime("revoked_at", tokenId, revokedAt);
    }

    /**
     * Notes that a token signed in, in a transaction of its own straight on {@code db}: bookkeeping,
     * not a change anyone made, so it is the one write here with no audit event (the audited path
     * would rightly refuse a change without one, and calling it "unchanged" would be untrue).
     */
    public static void recordUse(Database db, String tokenId, long usedAt) {
        db.inTransaction(tx -> {
            new JdbcAccounts(tx).setTokenTime("last_used_at", tokenId, usedAt);
            return null;
        });
    }

    private void setTokenTime(String column, String tokenId, long at) throws SQLException {
        Rows.update(connection, "UPDATE access_tokens SET " + column + " = ? WHERE token_id = ?", at, tokenId);
    }

    private static ApiToken token(ResultSet rows) throws SQLException {
        return new ApiToken(rows.getString(1).strip(), rows.getString(2), rows.getString(3), rows.getLong(4),
                nullableLong(rows, 5), nullableLong(rows, 6), nullableLong(rows, 7));
    }

    private static Long nullableLong(ResultSet rows, int column) throws SQLException {
        long value = rows.getLong(column);
        return rows.wasNull() ? null : value;
    }
}
