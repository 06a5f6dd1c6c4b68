package dev.keel.api.access;

import dev.keel.core.Actor;
import dev.keel.core.Permission;
import dev.keel.core.Resource;
import dev.keel.core.Role;

import java.util.List;

/**
 * Users, API tokens and permission grants as their managers reach them, in-process
 * ({@link AccessControl}) or over HTTP: one contract, the same checks. Admins manage users and
 * anyone's tokens; everyone their own tokens; MANAGE on a resource grants permissions on it.
 */
public interface AccessService {

    /** Creates a user; only an admin may. {@code password} may be null (the user signs in by token). */
    User createUser(Actor by, String name, String password, Role role);

    /** Every user, by name; only an admin may list them. */
    List<User> listUsers(Actor by);

    /**
     * A new token for {@code userName} (null: the caller; someone else's for an admin only),
     * expiring at {@code expiresAt} (epoch milliseconds; null: never). The secret is in the answer only.
     */
    IssuedToken createToken(Actor by, String userName, String description, Long expiresAt);

    /** The tokens of {@code userName} (null: the caller's), newest first; never a secret. */
    List<ApiToken> listTokens(Actor by, String userName);

    /** Revokes a token at once; its owner or an admin may. */
    void revokeToken(Actor by, String tokenId);

    /** Grants {@code permission} on {@code resource} to a user; needs MANAGE on the resource. */
    Grant grant(Actor by, Resource resource, String userName, Permission permission);

    /** Takes a user's grant on {@code resource} away (they fall back to the default); needs MANAGE. */
    void revoke(Actor by, Resource resource, String userName);

    /** The grants on {@code resource}, by user; needs READ on it. */
    List<Grant> grants(Actor by, Resource resource);
}
