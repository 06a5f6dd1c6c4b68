package dev.keel.governance.access.sql;

import dev.keel.api.access.ApiToken;
import dev.keel.api.access.User;
import dev.keel.core.Role;
import dev.keel.store.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
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
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT name, password_hash, role, created_at FROM access_users WHERE name = ?")) {
            select.setString(1, name);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(new UserRow(rows.getString(1), rows.getString(2),
                        Role.valueOf(rows.getString(3)), rows.getLong(4))) : Optional.empty();
            }
        }
    }

    /** Every user, by name. */
    public List<User> users() throws SQLException {
        List<User> users = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT name, role, password_hash, created_at FROM access_users ORDER BY name");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                users.add(new User(rows.getString(1), Role.valueOf(rows.getString(2)), rows.getString(3) != null,
                        rows.getLong(4)));
            }
        }
        return users;
    }

    public boolean anyoneHas(Role role) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT 1 FROM access_users WHERE role = ?")) {
            select.setString(1, role.name());
            try (ResultSet rows = select.executeQuery()) {
                return rows.next();
            }
        }
    }

    /** {@code passwordHash} may be null: the user signs in by token only. */
    public void insertUser(String name, String passwordHash, Role role, long createdAt) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO access_users (name, password_hash, role, created_at) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, name);
            insert.setString(2, passwordHash);
            insert.setString(3, role.name());
            insert.setLong(4, createdAt);
            insert.executeUpdate();
        }
    }

    // tokens

    /** Stores a new token as the SHA-256 of its secret; the secret itself is never stored. */
    public void insertToken(ApiToken token, String secretSha256) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO access_tokens (token_id, user_name, "
                + "description, secret_sha256, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, token.tokenId());
            insert.setString(2, token.userName());
            insert.setString(3, token.description());
            insert.setString(4, secretSha256);
            insert.setLong(5, token.createdAt());
            if (token.expiresAt() == null) {
                insert.setNull(6, Types.BIGINT);
            } else {
                insert.setLong(6, token.expiresAt());
            }
            insert.executeUpdate();
        }
    }

    /** The tokens of {@code owner}, newest first. */
    public List<ApiToken> tokensOf(String owner) throws SQLException {
        List<ApiToken> tokens = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT " + TOKEN_COLUMNS
                + " FROM access_tokens WHERE user_name = ? ORDER BY created_at DESC, token_id")) {
            select.setString(1, owner);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    tokens.add(token(rows));
                }
            }
        }
        return tokens;
    }

    public Optional<ApiToken> token(String tokenId) throws SQLException {
        return oneToken("token_id", tokenId);
    }

    public Optional<ApiToken> tokenBySecret(String secretSha256) throws SQLException {
        return oneToken("secret_sha256", secretSha256);
    }

    private Optional<ApiToken> oneToken(String column, String value) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + TOKEN_COLUMNS + " FROM access_tokens WHERE " + column + " = ?")) {
            select.setString(1, value);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(token(rows)) : Optional.empty();
            }
        }
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
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE access_tokens SET " + column + " = ? WHERE token_id = ?")) {
            update.setLong(1, at);
            update.setString(2, tokenId);
            update.executeUpdate();
        }
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
