package dev.keel.api.access;

import dev.keel.core.Permission;
import dev.keel.core.Resource;

/** A permission one user holds on one resource. */
public record Grant(Resource resource, String userName, Permission permission) {
}
