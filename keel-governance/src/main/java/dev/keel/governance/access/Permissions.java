package dev.keel.governance.access;

import dev.keel.api.access.Grant;
import dev.keel.core.Actor;
import dev.keel.core.AuditAction;
import dev.keel.core.Checks;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import dev.keel.core.Permission;
import dev.keel.core.Resource;
import dev.keel.core.Role;
import dev.keel.core.Visibility;
import dev.keel.governance.access.sql.JdbcGrants;
import dev.keel.governance.access.sql.JdbcGrants.GrantedAmong;
import dev.keel.governance.access.sql.JdbcGrants.Held;
import dev.keel.store.AuditedStore;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import static dev.keel.core.AuditLog.summary;

/**
 * What a user may do: the checks the services ask before every read and change (by role, and by
 * the permission granted on a resource or else the default), and the grants that change it.
 *
 * <p>A user with no grant on a resource holds the default permission; a viewer never holds more
 * than READ; admins pass every check. When not enforced (authentication is off), every check
 * passes: whoever runs Keel is its operator.
 */
record Permissions(AuditedStore<JdbcGrants> store, Permission defaultPermission, boolean enforced) {

    // the checks

    void require(Actor actor, Permission permission, Resource resource) {
        if (!enforced) {
            return;
        }
        Held access = store.read(grants -> grants.held(actor.name(), resource)).orElseThrow(() -> unknownUser(actor));
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

    void requireCreate(Actor actor, Resource.Kind kind) {
        if (!enforced) {
            return;
        }
        Role role = roleOf(actor);
        if (role == Role.VIEWER) {
            throw new KeelException(ErrorCode.PERMISSION_DENIED, "user '" + actor.name() + "' is a viewer; creating a "
                    + kind.noun() + " needs the member, approver or admin role");
        }
    }

    void requireRole(Actor actor, Role role) {
        if (!enforced) {
            return;
        }
        Role held = roleOf(actor);
        if (held != Role.ADMIN && held != role) {
            throw new KeelException(ErrorCode.PERMISSION_DENIED, "user '" + actor.name() + "' has the "
                    + held.name().toLowerCase() + " role; this needs the " + role.name().toLowerCase() + " role");
        }
    }

    /** Only an admin may {@code what}; the refusal names the caller's role. */
    void requireAdmin(Actor by, String what) {
        if (!enforced) {
            return;
        }
        Role role = roleOf(by);
        if (role != Role.ADMIN) {
            throw new KeelException(ErrorCode.PERMISSION_DENIED, "only an admin may " + what + " (user '" + by.name()
                    + "' has the " + role.name().toLowerCase() + " role)");
        }
    }

    /** The owner themselves may; anyone else must be an admin. */
    void requireSelfOrAdmin(Actor by, String owner, String what) {
        if (!by.name().equals(owner)) {
            requireAdmin(by, what + " another user");
        }
    }

    /**
     * One query: the caller's role, and only their grants that differ from the default on
     * whether they may read (a grant below READ when the default reads, a grant of READ or more
     * when it does not). So the answer's set is as small as those exceptions, whatever the
     * number of resources.
     */
    Visibility visible(Actor actor, Resource.Kind kind) {
        Checks.requireNonNull("resource kind", kind);
        if (!enforced) {
            return Visibility.ALL;
        }
        boolean readsByDefault = defaultPermission.allows(Permission.READ);
        List<Permission> exceptional = new ArrayList<>();
        for (Permission permission : Permission.values()) {
            if (permission.allows(Permission.READ) != readsByDefault) {
                exceptional.add(permission);
            }
        }
        GrantedAmong found = store.read(grants -> grants.grantedAmong(actor.name(), kind, exceptional))
                .orElseThrow(() -> unknownUser(actor));
        if (found.role() == Role.ADMIN) {
            return Visibility.ALL;
        }
        // a viewer is held to READ at most, which still reads: the role changes nothing here
        if (!readsByDefault) {
            return new Visibility.Only(found.resourceIds());
        }
        return found.resourceIds().isEmpty() ? Visibility.ALL : new Visibility.AllExcept(found.resourceIds());
    }

    // the grants

    /** On the transaction creating {@code resource}: its creator manages it, and no earlier grant carries over. */
    void grantCreator(JdbcGrants grants, Actor actor, Resource resource) throws SQLException {
        grants.deleteAll(resource);
        grants.insert(resource, actor.name(), Permission.MANAGE);
    }

    /** On the transaction renaming {@code from}: its grants move along, replacing any left on {@code to}. */
    void moved(JdbcGrants grants, Resource from, Resource to) throws SQLException {
        grants.deleteAll(to);
        grants.move(from, to);
    }

    Grant grant(Actor by, Resource resource, String userName, Permission permission) {
        Checks.requireNonNull("resource", resource);
        Checks.requireNonNull("permission", permission);
        require(by, Permission.MANAGE, resource);
        return store.write(by, (grants, events) -> {
            if (grants.role(userName).isEmpty()) {
                throw KeelException.notFound("user '" + userName + "' does not exist");
            }
            grants.delete(resource, userName);
            grants.insert(resource, userName, permission);
            events.record(AuditAction.PERMISSION_GRANT, resource.path(), summary("user", userName, "permission",
                    permission.name()));
            return new Grant(resource, userName, permission);
        });
    }

    void revoke(Actor by, Resource resource, String userName) {
        Checks.requireNonNull("resource", resource);
        Checks.requireNonBlank("user", userName);
        require(by, Permission.MANAGE, resource);
        store.write(by, (grants, events) -> {
            if (grants.delete(resource, userName) == 0) {
                throw KeelException.notFound("user '" + userName + "' holds no grant on " + resource);
            }
            events.record(AuditAction.PERMISSION_REVOKE, resource.path(), summary("user", userName));
            return null;
        });
    }

    List<Grant> grants(Actor by, Resource resource) {
        Checks.requireNonNull("resource", resource);
        require(by, Permission.READ, resource);
        return store.read(grants -> grants.on(resource));
    }

    private Role roleOf(Actor actor) {
        return store.read(grants -> grants.role(actor.name())).orElseThrow(() -> unknownUser(actor));
    }

    private static KeelException unknownUser(Actor actor) {
        return new KeelException(ErrorCode.PERMISSION_DENIED, "'" + actor.name() + "' is not a Keel user");
    }
}
