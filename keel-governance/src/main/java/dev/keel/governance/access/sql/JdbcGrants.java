package dev.keel.governance.access.sql;

import dev.keel.api.access.Grant;
import dev.keel.core.Permission;
import dev.keel.core.Resource;
import dev.keel.core.Role;
import dev.keel.store.sql.Rows;
import dev.keel.store.sql.SqlText;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The permission grants, read together with the role of the user they are for, through one
 * connection (and so inside whatever transaction the caller holds). It knows SQL, not rules:
 * access control decides what a role and a grant allow.
 */
public record JdbcGrants(Connection connection) {

    /** A user's role, and what they were granted on one resource (null: nothing, so the default holds). */
    public record Held(Role role, Permission granted) {
    }

    /** A user's role, and the resources of one kind on which they hold one of the permissions asked about. */
    public record GrantedAmong(Role role, Set<String> resourceIds) {
    }

    /** The role of {@code user}, or empty when Keel knows no such user. */
    public Optional<Role> role(String user) throws SQLException {
        return Rows.first(connection, "SELECT role FROM access_users WHERE name = ?", rows -> Role.valueOf(rows.getString(1)),
                user);
    }

    /** One query: the user's role and their grant on {@code resource}; empty when Keel knows no such user. */
    public Optional<Held> held(String user, Resource resource) throws SQLException {
        return Rows.first(connection, "SELECT u.role, g.permission FROM access_users u LEFT JOIN access_grants g "
                + "ON g.user_name = u.name AND g.resource_kind = ? AND g.resource_id = ? WHERE u.name = ?", rows -> {
                    String granted = rows.getString(2);
                    return new Held(Role.valueOf(rows.getString(1)), granted == null ? null : Permission.valueOf(granted));
                }, resource.kind().name(), resource.id(), user);
    }

    /**
     * One query: the user's role, and the ids of the resources of {@code kind} on which they were
     * granted one of {@code permissions}; empty when Keel knows no such user.
     */
    public Optional<GrantedAmong> grantedAmong(String user, Resource.Kind kind, List<Permission> permissions)
            throws SQLException {
        SqlText sql = new SqlText().append("SELECT u.role, g.resource_id FROM access_users u LEFT JOIN access_grants g "
                + "ON g.user_name = u.name AND g.resource_kind = ").bind(kind.name())
                .append(" AND g.permission IN (").bindAll(permissions.stream().map(Permission::name).toList())
                .append(") WHERE u.name = ").bind(user);
        try (PreparedStatement select = sql.prepare(connection); ResultSet rows = select.executeQuery()) {
            Role role = null;
            Set<String> ids = new HashSet<>();
            while (rows.next()) {
                role = Role.valueOf(rows.getString(1));
                if (rows.getString(2) != null) {
                    ids.add(rows.getString(2));
                }
            }
            return role == null ? Optional.empty() : Optional.of(new GrantedAmong(role, ids));
        }
    }

    /** The grants on {@code resource}, by user. */
    public List<Grant> on(Resource resource) throws SQLException {
        return Rows.all(connection, "SELECT user_name, permission FROM access_grants WHERE resource_kind = ? "
                + "AND resource_id = ? ORDER BY user_name", rows -> new Grant(resource, rows.getString(1),
                Permission.valueOf(rows.getString(2))), resource.kind().name(), resource.id());
    }

    public void insert(Resource resource, String user, Permission permission) throws SQLException {
        Rows.update(connection, "INSERT INTO access_grants (resource_kind, resource_id, user_name, permission) "
                + "VALUES (?, ?, ?, ?)", resource.kind().name(), resource.id(), user, permission.name());
    }

    /** Deletes the grant of {@code user} on {@code resource}; returns how many there were (0 or 1). */
    public int delete(Resource resource, String user) throws SQLException {
        return Rows.update(connection, "DELETE FROM access_grants WHERE resource_kind = ? AND resource_id = ? "
                + "AND user_name = ?", resource.kind().name(), resource.id(), user);
    }

    /** Deletes every grant on {@code resource}. */
    public void deleteAll(Resource resource) throws SQLException {
        Rows.update(connection, "DELETE FROM access_grants WHERE resource_kind = ? AND resource_id = ?",
                resource.kind().name(), resource.id());
    }

    /** Moves every grant on {@code from} to {@code to}, which must hold none. */
    public void move(Resource from, Resource to) throws SQLException {
        Rows.update(connection, "UPDATE access_grants SET resource_kind = ?, resource_id = ? WHERE resource_kind = ? "
                + "AND resource_id = ?", to.kind().name(), to.id(), from.kind().name(), from.id());
    }
}
