package dev.keel.governance.access;

import dev.keel.api.access.AccessService;
import dev.keel.api.access.ApiToken;
import dev.keel.api.access.Grant;
import dev.keel.api.access.IssuedToken;
import dev.keel.api.access.User;
import dev.keel.core.Actor;
import dev.keel.core.AuditLog;
import dev.keel.core.Authorizer;
import dev.keel.core.Checks;
import dev.keel.core.Permission;
import dev.keel.core.Resource;
import dev.keel.core.Role;
import dev.keel.core.Visibility;
import dev.keel.governance.access.sql.JdbcAccounts;
import dev.keel.governance.access.sql.JdbcGrants;
import dev.keel.store.AuditedStore;
import dev.keel.store.Database;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Users, their roles and API tokens, and the permissions granted on experiments and registered
 * models; the {@link Authorizer} the services ask when authentication is on.
 *
 * <p>A user with no grant on a resource holds the configured default permission (READ unless
 * configured otherwise); a viewer never holds more than READ; admins pass every check. Every
 * change here is recorded in the audit trail in the transaction that makes it.
 *
 * <p>One face for two parts: {@link Accounts} (users, tokens, signing in) and {@link Permissions}
 * (grants and the checks), each on its own tables through an {@link AuditedStore}.
 */
public final class AccessControl implements Authorizer, AccessService {
    /** Secrets start with this, so a leaked one is easy to recognise (and to scan for). */
    public static final String TOKEN_PREFIX = "keel_";
    /** The first admin's name. */
    public static final String ADMIN = "admin";

    private final Accounts accounts;
    private final Permissions permissions;

    private AccessControl(Accounts accounts, Permissions permissions) {
        this.accounts = accounts;
        this.permissions = permissions;
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
        Permissions permissions = new Permissions(new AuditedStore<>(db, audit, JdbcGrants::new), defaultPermission,
                enforced);
        Accounts accounts = new Accounts(new AuditedStore<>(db, audit, JdbcAccounts::new), permissions, clock,
                new SecureRandom());
        return new AccessControl(accounts, permissions);
    }

    public Permission defaultPermission() {
        return permissions.defaultPermission();
    }

    // users

    /** Creates a user; only an admin may. {@code password} may be null (the user signs in by token). */
    @Override
    public User createUser(Actor by, String name, String password, Role role) {
        return accounts.createUser(by, name, password, role);
    }

    /** Every user, by name; only an admin may list them. */
    @Override
    public List<User> listUsers(Actor by) {
        return accounts.listUsers(by);
    }

    /** The user of this name, if there is one. */
    public Optional<User> user(String name) {
        return accounts.user(name);
    }

    /**
     * Makes the first admin when there is none: user {@code admin} with {@code adminPassword}
     * when given, else without a password and with a token valid for {@code tokenLifetime},
     * returned here to be shown once. Does nothing (and returns empty) once an admin exists.
     */
    public Optional<IssuedToken> bootstrap(String adminPassword, Duration tokenLifetime) {
        return accounts.bootstrap(adminPassword, tokenLifetime);
    }

    // tokens

    /**
     * A new token for {@code userName} (the caller's own, or anyone's for an admin), expiring at
     * {@code expiresAt} (epoch milliseconds; null: never). The secret is in the answer only.
     */
    @Override
    public IssuedToken createToken(Actor by, String userName, String description, Long expiresAt) {
        return accounts.createToken(by, userName, description, expiresAt);
    }

    /** The tokens of {@code userName} (the caller's own, or anyone's for an admin), newest first; never a secret. */
    @Override
    public List<ApiToken> listTokens(Actor by, String userName) {
        return accounts.listTokens(by, userName);
    }

    /** Revokes a token at once; its owner or an admin may. Revoking twice is refused. */
    @Override
    public void revokeToken(Actor by, String tokenId) {
        accounts.revokeToken(by, tokenId);
    }

    // signing in

    /** Who a token secret signs in as, if it is known, unrevoked and unexpired. */
    public Optional<Actor> authenticateToken(String secret) {
        return accounts.authenticateToken(secret);
    }

    /** Who a user name and password sign in as, if they match. */
    public Optional<Actor> authenticatePassword(String name, String password) {
        return accounts.authenticatePassword(name, password);
    }

    // grants

    /** Grants {@code permission} on {@code resource} to a user; needs MANAGE on the resource. */
    @Override
    public Grant grant(Actor by, Resource resource, String userName, Permission permission) {
        return permissions.grant(by, resource, userName, permission);
    }

    /** Takes a user's grant on {@code resource} away (they fall back to the default); needs MANAGE. */
    @Override
    public void revoke(Actor by, Resource resource, String userName) {
        permissions.revoke(by, resource, userName);
    }

    /** The grants on {@code resource}, by user; needs READ on it. */
    @Override
    public List<Grant> grants(Actor by, Resource resource) {
        return permissions.grants(by, resource);
    }

    // the Authorizer the services ask

    @Override
    public void require(Actor actor, Permission permission, Resource resource) {
        permissions.require(actor, permission, resource);
    }

    @Override
    public void requireCreate(Actor actor, Resource.Kind kind) {
        permissions.requireCreate(actor, kind);
    }

    @Override
    public void requireRole(Actor actor, Role role) {
        permissions.requireRole(actor, role);
    }

    @Override
    public Visibility visible(Actor actor, Resource.Kind kind) {
        return permissions.visible(actor, kind);
    }

    /** On the creating service's transaction, which the {@link Authorizer} port hands over as a connection. */
    @Override
    public void grantCreator(Connection tx, Actor actor, Resource resource) throws SQLException {
        permissions.grantCreator(new JdbcGrants(tx), actor, resource);
    }

    /** On the renaming service's transaction, as above. */
    @Override
    public void moved(Connection tx, Resource from, Resource to) throws SQLException {
        permissions.moved(new JdbcGrants(tx), from, to);
    }
}
