package dev.keel.api.access;

import dev.keel.core.Role;

/** Someone who signs in to Keel. The password hash never leaves the store. */
public record User(String name, Role role, boolean hasPassword, long createdAt) {
}
