package dev.keel.governance.access;

import dev.keel.api.access.AccessService;
import dev.keel.api.access.ApiToken;
import dev.keel.api.access.Grant;
import dev.keel.api.access.IssuedToken;
import dev.keel.api.access.User;
import dev.keel.core.Actor;
import dev.keel.core.AuditAction;
import dev.keel.core.AuditLog;
import dev.keel.core.Authorizer;
import dev.keel.core.Checks;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import dev.keel.core.Permission;
import dev.keel.core.Resource;
import dev.keel.core.Role;
import dev.keel.core.Visibility;
import dev.keel.store.Database;
import dev.keel.store.sql.SqlText;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static dev.keel.core.AuditLog.summary;

/**
 * Users, their roles and API tokens, and the permissions granted on experiments and registered
 * models; the {@link Authorizer} the services ask when authentication is on.
 *
 * <p>A user with no grant on a resource holds the configured default permission (READ unless
 * configured otherwise); a viewer never holds more than READ; admins pass every check. Every
 * change here is recorded in the audit trail in the transaction that makes it.
 */
public final class AccessControl implements Authorizer, AccessService {
    /** Secrets start with this, so a leaked one is easy to recognise (and to scan for). */
    public static final String TOKEN_PREFIX = "keel_";
    /** The first admin's name. */
    public static final String ADMIN = "admin";
    /** A token's {@code last_used_at} is refreshed at most this often: a sign-in should not be a write. */
    static final long LAST_USED_RESOLUTION_MILLIS = 60_000;
    private static final Actor KEEL = new Actor("keel");

    private final Database db;
    private final AuditLog audit;
    private final Clock clock;
    private final SecureRandom random;
    private final Permission defaultPermission;
    private final boolean enforced;

    private AccessControl(Database db, AuditLog audit, Clock clock, SecureRandom random, Permission defaultPermission,
                          boolean enforced) {
        this.db = db;
        this.audit = audit;
        this.clock = clock;
        this.random = random;
        this.defaultPermission = defaultPermission;
        this.enforced = enforced;
    }

    /** Migrates the access tables; users without a grant on a resource hold {@code defaultPermission} on it. */
    public static AccessControl open(Database db, AuditLog audit, Clock clock, Permission defaultPermission) {
        return open(db, audit, clock, defaultPermission, true);
    }

    /**
     * As above; when not {@code enforced} (authentication is off), whoever runs Keel is its
     * operator and passes every check here too, so users and tokens can be prepared before
     * authentication is turned on.
     */
    public static AccessControl open(Database db, AuditLog audit, Clock clock, Permission defaultPermission,
                                     boolean enforced) {
        Checks.requireNonNull("audit", audit);
        Checks.requireNonNull("default_permission", defaultPermission);
        db.migrate("governance");
        return new AccessControl(db, audit, clock, new SecureRandom(), defaultPermission, enforced);
    }

    public Permission defaultPermission() {
        return defaultPermission;
    }

    // users

    /** Creates a user; only an admin may. {@code password} may be null (the user signs in by token). */
    public User createUser(Actor by, String name, String password, Role role) {
        requireAdmin(by, "create users");
        UserName.requireValid(name);
        Checks.requireNonNull("role", role);
        String hash = password == null ? null : PasswordHash.of(requireStrong(password));
        long now = clock.millis();
        return db.inTransaction(tx -> {
            if (userRow(tx, name).isPresent()) {
                throw KeelException.alreadyExists("user '" + name + "' already exists");
            }
            insertUser(tx, name, hash, role, now);
            audit.record(tx, by, AuditAction.USER_CREATE, "user/" + name, summary("role", role.name(), "password", hash != null));
            return new User(name, role, hash != null, now);
        });
    }

    /** Every user, by name; only an admin may list them. */
    public List<User> listUsers(Actor by) {
        requireAdmin(by, "list users");
        return db.read(connection -> {
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
        });
    }

    /** The user of this name, if there is one. */
    public Optional<User> user(String name) {
        return db.read(connection -> userRow(connection, name).map(UserRow::user));
    }

    /**
     * Makes the first admin when there is none: user {@code admin} with {@code adminPassword}
     * when given, else without a password and with a token valid for {@code tokenLifetime},
     * returned here to be shown once. Does nothing (and returns empty) once an admin exists.
     */
    public Optional<IssuedToken> bootstrap(String adminPassword, Duration tokenLifetime) {
        String hash = adminPassword == null || adminPassword.isEmpty() ? null
                : PasswordHash.of(requireStrong(adminPassword));
        long now = clock.millis();
        return db.inTransaction(tx -> {
            try (PreparedStatement select = tx.prepareStatement("SELECT 1 FROM access_users WHERE role = ?")) {
                select.setString(1, Role.ADMIN.name());
                try (ResultSet rows = select.executeQuery()) {
                    if (rows.next()) {
                        return Optional.<IssuedToken>empty();
                    }
                }
            }
            if (userRow(tx, ADMIN).isPresent()) {
                throw new KeelException(ErrorCode.BAD_REQUEST, "user '" + ADMIN + "' exists but is no admin; "
                        + "Keel will not make it one by itself");
            }
            insertUser(tx, ADMIN, hash, Role.ADMIN, now);
            audit.record(tx, KEEL, AuditAction.USER_CREATE, "user/" + ADMIN, summary("role", Role.ADMIN.name(), "password", hash != null,
                    "bootstrap", true));
            if (hash != null) {
                return Optional.<IssuedToken>empty();
            }
            return Optional.of(issue(tx, KEEL, ADMIN, "bootstrap", now + tokenLifetime.toMillis(), now));
        });
    }

    // tokens

    /**
     * A new token for {@code userName} (the caller's own, or anyone's for an admin), expiring at
     * {@code expiresAt} (epoch milliseconds; null: never). The secret is in the answer only.
     */
    public IssuedToken createToken(Actor by, String userName, String description, Long expiresAt) {
        String owner = userName == null ? by.name() : userName;
        requireSelfOrAdmin(by, owner, "create tokens for");
        String text = description == null ? "" : description;
        Checks.requireMaxLength("description", text, 256);
        long now = clock.millis();
        if (expiresAt != null && expiresAt <= now) {
            throw KeelException.invalid("'expires_at' must be in the future (got " + expiresAt + ")");
        }
        return db.inTransaction(tx -> {
            if (userRow(tx, owner).isEmpty()) {
                throw KeelException.notFound("user '" + owner + "' does not exist");
            }
            return issue(tx, by, owner, text, expiresAt, now);
        });
    }

    /** The tokens of {@code userName} (the caller's own, or anyone's for an admin), newest first; never a secret. */
    public List<ApiToken> listTokens(Actor by, String userName) {
        String owner = userName == null ? by.name() : userName;
        requireSelfOrAdmin(by, owner, "list the tokens of");
        return db.read(connection -> {
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
        });
    }

    /** Revokes a token at once; its owner or an admin may. Revoking twice is refused. */
    public void revokeToken(Actor by, String tokenId) {
        Checks.requireNonBlank("token_id", tokenId);
        long now = clock.millis();
        db.inTransaction(tx -> {
            ApiToken token = tokenById(tx, tokenId)
                    .orElseThrow(() -> KeelException.notFound("token '" + tokenId + "' does not exist"));
            requireSelfOrAdmin(by, token.userName(), "revoke the tokens of");
            if (token.revokedAt() != null) {
                throw KeelException.invalid("token '" + tokenId + "' is already revoked");
            }
            try (PreparedStatement update = tx.prepareStatement("UPDATE access_tokens SET revoked_at = ? WHERE token_id = ?")) {
                update.setLong(1, now);
                update.setString(2, tokenId);
                update.executeUpdate();
            }
            audit.record(tx, by, AuditAction.TOKEN_REVOKE, "user/" + token.userName() + "/token/" + tokenId, summary());
            return null;
        });
    }

    // signing in

    /** Who a token secret signs in as, if it is known, unrevoked and unexpired. */
    public Optional<Actor> authenticateToken(String secret) {
        if (secret == null || !secret.startsWith(TOKEN_PREFIX)) {
            return Optional.empty();
        }
        long now = clock.millis();
        String digest = sha256(secret);
        Optional<ApiToken> found = db.read(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT " + TOKEN_COLUMNS + " FROM access_tokens WHERE secret_sha256 = ?")) {
                select.setString(1, digest);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? Optional.of(token(rows)) : Optional.<ApiToken>empty();
                }
            }
        });
        if (found.isEmpty() || !found.get().activeAt(now)) {
            return Optional.empty();
        }
        ApiToken token = found.get();
        if (token.lastUsedAt() == null || now - token.lastUsedAt() >= LAST_USED_RESOLUTION_MILLIS) {
            // bookkeeping, not a change anyone made: not audited
            db.inTransaction(tx -> {
                try (PreparedStatement update = tx.prepareStatement(
                        "UPDATE access_tokens SET last_used_at = ? WHERE token_id = ?")) {
                    update.setLong(1, now);
                    update.setString(2, token.tokenId());
                    return update.executeUpdate();
                }
            });
        }
        return Optional.of(new Actor(token.userName()));
    }

    /** Who a user name and password sign in as, if they match. */
    public Optional<Actor> authenticatePassword(String name, String password) {
        if (name == null || name.isBlank() || password == null) {
            return Optional.empty();
        }
        Optional<UserRow> row = db.read(connection -> userRow(connection, name));
        return row.filter(r -> PasswordHash.matches(password, r.passwordHash())).map(r -> new Actor(r.name()));
    }

    // grants

    /** Grants {@code permission} on {@code resource} to a user; needs MANAGE on the resource. */
    public Grant grant(Actor by, Resource resource, String userName, Permission permission) {
        Checks.requireNonNull("resource", resource);
        Checks.requireNonNull("permission", permission);
        require(by, Permission.MANAGE, resource);
        return db.inTransaction(tx -> {
            if (userRow(tx, userName).isEmpty()) {
                throw KeelException.notFound("user '" + userName + "' does not exist");
            }
            deleteGrant(tx, resource, userName);
            insertGrant(tx, resource, userName, permission);
            audit.record(tx, by, AuditAction.PERMISSION_GRANT, resource.path(), summary("user", userName, "permission", permission.name()));
            return new Grant(resource, userName, permission);
        });
    }

    /** Takes a user's grant on {@code resource} away (they fall back to the default); needs MANAGE. */
    public void revoke(Actor by, Resource resource, String userName) {
        Checks.requireNonNull("resource", resource);
        Checks.requireNonBlank("user", userName);
        require(by, Permission.MANAGE, resource);
        db.inTransaction(tx -> {
            if (deleteGrant(tx, resource, userName) == 0) {
                throw KeelException.notFound("user '" + userName + "' holds no grant on " + resource);
            }
            audit.record(tx, by, AuditAction.PERMISSION_REVOKE, resource.path(), summary("user", userName));
            return null;
        });
    }

    /** The grants on {@code resource}, by user; needs READ on it. */
    public List<Grant> grants(Actor by, Resource resource) {
        Checks.requireNonNull("resource", resource);
        require(by, Permission.READ, resource);
        return db.read(connection -> {
            List<Grant> grants = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT user_name, permission FROM access_grants "
                    + "WHERE resource_kind = ? AND resource_id = ? ORDER BY user_name")) {
                select.setString(1, resource.kind().name());
                select.setString(2, resource.id());
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        grants.add(new Grant(resource, rows.getString(1), Permission.valueOf(rows.getString(2))));
                    }
                }
            }
            return grants;
        });
    }

    // the Authorizer the services ask

    @Override
    public void require(Actor actor, Permission permission, Resource resource) {
        if (!enforced) {
            return;
        }
        Access access = db.read(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT u.role, g.permission FROM access_users u "
                    + "LEFT JOIN access_grants g ON g.user_name = u.name AND g.resource_kind = ? AND g.resource_id = ? "
                    + "WHERE u.name = ?")) {
                select.setString(1, resource.kind().name());
                select.setString(2, resource.id());
                select.setString(3, actor.name());
                try (ResultSet rows = select.executeQuery()) {
                    if (!rows.next()) {
                        return null;
                    }
                    String granted = rows.getString(2);
                    return new Access(Role.valueOf(rows.getString(1)), granted == null ? null : Permission.valueOf(granted));
                }
            }
        });
        if (access == null) {
            throw unknownUser(actor);
        }
        if (access.role() == Role.ADMIN) {
            return;
        }
        Permission held = access.granted() != null ? access.granted() : defaultPermission;
        if (access.role() == Role.VIEWER && held.allows(Permission.USE)) {
            held = Permission.READ;
        }
        if (!held.allows(permission)) {
            throw new KeelException(ErrorCode.PERMISSION_DENIED, "user '" + actor.name() + "' holds " + held
                    + " on " + resource + "; this needs " + permission);
        }
    }

    @Override
    public void requireCreate(Actor actor, Resource.Kind kind) {
        if (!enforced) {
            return;
        }
        Role role = roleOf(actor);
        if (role == Role.VIEWER) {
            throw new KeelException(ErrorCode.PERMISSION_DENIED, "user '" + actor.name() + "' is a viewer; creating a "
                    + kind.noun() + " needs the member, approver or admin role");
        }
    }

    @Override
    public void requireRole(Actor actor, Role role) {
        if (!enforced) {
            return;
        }
        Role held = roleOf(actor);
        if (held != Role.ADMIN && held != role) {
            throw new KeelException(ErrorCode.PERMISSION_DENIED, "user '" + actor.name() + "' has the "
                    + held.name().toLowerCase() + " role; this needs the " + role.name().toLowerCase() + " role");
        }
    }

    /**
     * One query: the caller's role, and only their grants that differ from the default on
     * whether they may read (a grant below READ when the default reads, a grant of READ or more
     * when it does not). So the answer's set is as small as those exceptions, whatever the
     * number of resources.
     */
    @Override
    public Visibility visible(Actor actor, Resource.Kind kind) {
        Checks.requireNonNull("resource kind", kind);
        if (!enforced) {
            return Visibility.ALL;
        }
        boolean readsByDefault = defaultPermission.allows(Permission.READ);
        List<String> exceptional = new ArrayList<>();
        for (Permission permission : Permission.values()) {
            if (permission.allows(Permission.READ) != readsByDefault) {
                exceptional.add(permission.name());
            }
        }
        SqlText sql = new SqlText().append("SELECT u.role, g.resource_id FROM access_users u LEFT JOIN access_grants g "
                + "ON g.user_name = u.name AND g.resource_kind = ").bind(kind.name())
                .append(" AND g.permission IN (").bindAll(exceptional).append(") WHERE u.name = ").bind(actor.name());
        record Found(Role role, Set<String> ids) {
        }
        Found found = db.read(connection -> {
            try (PreparedStatement select = sql.prepare(connection); ResultSet rows = select.executeQuery()) {
                Role role = null;
                Set<String> ids = new HashSet<>();
                while (rows.next()) {
                    role = Role.valueOf(rows.getString(1));
                    if (rows.getString(2) != null) {
                        ids.add(rows.getString(2));
                    }
                }
                return role == null ? null : new Found(role, ids);
            }
        });
        if (found == null) {
            throw unknownUser(actor);
        }
        if (found.role() == Role.ADMIN) {
            return Visibility.ALL;
        }
        // a viewer is held to READ at most, which still reads: the role changes nothing here
        if (!readsByDefault) {
            return new Visibility.Only(found.ids());
        }
        return found.ids().isEmpty() ? Visibility.ALL : new Visibility.AllExcept(found.ids());
    }

    @Override
    public void grantCreator(Connection tx, Actor actor, Resource resource) throws SQLException {
        try (PreparedStatement delete = tx.prepareStatement(
                "DELETE FROM access_grants WHERE resource_kind = ? AND resource_id = ?")) {
            delete.setString(1, resource.kind().name());
            delete.setString(2, resource.id());
            delete.executeUpdate();
        }
        insertGrant(tx, resource, actor.name(), Permission.MANAGE);
    }

    @Override
    public void moved(Connection tx, Resource from, Resource to) throws SQLException {
        try (PreparedStatement delete = tx.prepareStatement(
                "DELETE FROM access_grants WHERE resource_kind = ? AND resource_id = ?")) {
            delete.setString(1, to.kind().name());
            delete.setString(2, to.id());
            delete.executeUpdate();
        }
        try (PreparedStatement update = tx.prepareStatement(
                "UPDATE access_grants SET resource_kind = ?, resource_id = ? WHERE resource_kind = ? AND resource_id = ?")) {
            update.setString(1, to.kind().name());
            update.setString(2, to.id());
            update.setString(3, from.kind().name());
            update.setString(4, from.id());
            update.executeUpdate();
        }
    }

    // rules and rows

    private record Access(Role role, Permission granted) {
    }

    private record UserRow(String name, String passwordHash, Role role, long createdAt) {
        User user() {
            return new User(name, role, passwordHash != null, createdAt);
        }
    }

    private Role roleOf(Actor actor) {
        return db.read(connection -> userRow(connection, actor.name())).orElseThrow(() -> unknownUser(actor)).role();
    }

    private static KeelException unknownUser(Actor actor) {
        return new KeelException(ErrorCode.PERMISSION_DENIED, "'" + actor.name() + "' is not a Keel user");
    }

    private void requireAdmin(Actor by, String what) {
        if (!enforced) {
            return;
        }
        Role role = roleOf(by);
        if (role != Role.ADMIN) {
            throw new KeelException(ErrorCode.PERMISSION_DENIED, "only an admin may " + what + " (user '" + by.name()
                    + "' has the " + role.name().toLowerCase() + " role)");
        }
    }

    private void requireSelfOrAdmin(Actor by, String owner, String what) {
        if (!by.name().equals(owner)) {
            requireAdmin(by, what + " another user");
        }
    }

    private static String requireStrong(String password) {
        if (password.length() < PasswordHash.MIN_LENGTH) {
            throw KeelException.invalid("'password' must have at least " + PasswordHash.MIN_LENGTH + " characters");
        }
        Checks.requireMaxLength("password", password, 1024);
        return password;
    }

    private IssuedToken issue(Connection tx, Actor by, String owner, String description, Long expiresAt, long now)
            throws SQLException {
        byte[] secretBytes = new byte[32];
        random.nextBytes(secretBytes);
        byte[] idBytes = new byte[8];
        random.nextBytes(idBytes);
        String secret = TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
        String tokenId = HexFormat.of().formatHex(idBytes);
        try (PreparedStatement insert = tx.prepareStatement("INSERT INTO access_tokens (token_id, user_name, description, "
                + "secret_sha256, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, tokenId);
            insert.setString(2, owner);
            insert.setString(3, description);
            insert.setString(4, sha256(secret));
            insert.setLong(5, now);
            if (expiresAt == null) {
                insert.setNull(6, Types.BIGINT);
            } else {
                insert.setLong(6, expiresAt);
            }
            insert.executeUpdate();
        }
        audit.record(tx, by, AuditAction.TOKEN_CREATE, "user/" + owner + "/token/" + tokenId,
                summary("description", description, "expires_at", expiresAt));
        return new IssuedToken(new ApiToken(tokenId, owner, description, now, expiresAt, null, null), secret);
    }

    private static final String TOKEN_COLUMNS =
            "token_id, user_name, description, created_at, expires_at, revoked_at, last_used_at";

    private static ApiToken token(ResultSet rows) throws SQLException {
        return new ApiToken(rows.getString(1).strip(), rows.getString(2), rows.getString(3), rows.getLong(4),
                nullableLong(rows, 5), nullableLong(rows, 6), nullableLong(rows, 7));
    }

    private static Long nullableLong(ResultSet rows, int column) throws SQLException {
        long value = rows.getLong(column);
        return rows.wasNull() ? null : value;
    }

    private static Optional<ApiToken> tokenById(Connection connection, String tokenId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + TOKEN_COLUMNS + " FROM access_tokens WHERE token_id = ?")) {
            select.setString(1, tokenId);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(token(rows)) : Optional.empty();
            }
        }
    }

    private static Optional<UserRow> userRow(Connection connection, String name) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT name, password_hash, role, created_at FROM access_users WHERE name = ?")) {
            select.setString(1, name);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(new UserRow(rows.getString(1), rows.getString(2),
                        Role.valueOf(rows.getString(3)), rows.getLong(4))) : Optional.empty();
            }
        }
    }

    private static void insertUser(Connection tx, String name, String hash, Role role, long now) throws SQLException {
        try (PreparedStatement insert = tx.prepareStatement(
                "INSERT INTO access_users (name, password_hash, role, created_at) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, name);
            insert.setString(2, hash);
            insert.setString(3, role.name());
            insert.setLong(4, now);
            insert.executeUpdate();
        }
    }

    private static void insertGrant(Connection tx, Resource resource, String user, Permission permission) throws SQLException {
        try (PreparedStatement insert = tx.prepareStatement("INSERT INTO access_grants (resource_kind, resource_id, "
                + "user_name, permission) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, resource.kind().name());
            insert.setString(2, resource.id());
            insert.setString(3, user);
            insert.setString(4, permission.name());
            insert.executeUpdate();
        }
    }

    private static int deleteGrant(Connection tx, Resource resource, String user) throws SQLException {
        try (PreparedStatement delete = tx.prepareStatement(
                "DELETE FROM access_grants WHERE resource_kind = ? AND resource_id = ? AND user_name = ?")) {
            delete.setString(1, resource.kind().name());
            delete.setString(2, resource.id());
            delete.setString(3, user);
            return delete.executeUpdate();
        }
    }

    static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
