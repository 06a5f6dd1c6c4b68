package dev.keel.api.access;

/** A token just created, with its secret: the one time the secret is shown. */
public record IssuedToken(ApiToken token, String secret) {
}
