package dev.keel.api.access;

/**
 * What Keel keeps about an API token: never the secret, only its SHA-256. {@code expiresAt},
 * {@code revokedAt} and {@code lastUsedAt} are epoch milliseconds or null.
 */
public record ApiToken(String tokenId, String userName, String description, long createdAt, Long expiresAt,
                       Long revokedAt, Long lastUsedAt) {

    /** Whether the token can sign in at {@code now}. */
    public boolean activeAt(long now) {
        return revokedAt == null && (expiresAt == null || now < expiresAt);
    }
}
