package dev.keel.registry.approval;

import dev.keel.core.Actor;
import dev.keel.core.Authorizer;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import dev.keel.core.Permission;
import dev.keel.core.Resource;
import dev.keel.core.Role;
import dev.keel.core.Visibility;

import java.sql.Connection;
import java.util.Map;
import java.util.Set;

/**
 * The authorizer port with roles only, for the registry's own tests (the real one lives in
 * keel-governance, which depends on this module): viewers read, members and approvers also
 * change, admins hold every role. Per-resource grants are not modelled; an unknown user is refused.
 */
final class RoleAuthorizer implements Authorizer {
    private final Map<String, Set<Role>> roles;

    RoleAuthorizer(Map<String, Set<Role>> roles) {
        this.roles = Map.copyOf(roles);
    }

    private Set<Role> of(Actor actor) {
        Set<Role> held = roles.get(actor.name());
        if (held == null) {
            throw new KeelException(ErrorCode.PERMISSION_DENIED, "'" + actor.name() + "' is not a user");
        }
        return held;
    }

    @Override
    public void require(Actor actor, Permission permission, Resource resource) {
        Set<Role> held = of(actor);
        if (permission != Permission.READ && held.equals(Set.of(Role.VIEWER))) {
            throw new KeelException(ErrorCode.PERMISSION_DENIED, "'" + actor.name() + "' is a viewer and may only read "
                    + resource);
        }
    }

    @Override
    public Visibility visible(Actor actor, Resource.Kind kind) {
        of(actor);
        return Visibility.ALL; // every user reads everything: grants are not modelled
    }

    @Override
    public void requireCreate(Actor actor, Resource.Kind kind) {
        require(actor, Permission.EDIT, null);
    }

    @Override
    public void requireRole(Actor actor, Role role) {
        Set<Role> held = of(actor);
        if (!held.contains(role) && !held.contains(Role.ADMIN)) {
            throw new KeelException(ErrorCode.PERMISSION_DENIED, "'" + actor.name() + "' needs the "
                    + role.name().toLowerCase(java.util.Locale.ROOT) + " role");
        }
    }

    @Override
    public void grantCreator(Connection tx, Actor actor, Resource resource) {
    }

    @Override
    public void moved(Connection tx, Resource from, Resource to) {
    }
}
