package dev.keel.server.http;

import dev.keel.core.Actor;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import dev.keel.governance.access.AccessControl;
import io.javalin.http.Context;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Who a request acts as: the one place that decides it. With authentication off, every request
 * acts as the actor the server was started with. With it on, the request signs in with
 * {@code Authorization: Bearer <token>} or HTTP Basic ({@code user:password}); without valid
 * credentials it is answered 401 with a {@code WWW-Authenticate} challenge.
 */
public final class RequestActor {
    public static final String CHALLENGE = "Bearer realm=\"keel\"";
    private static final String ATTRIBUTE = "keel.actor";

    private final Actor actor;
    private final AccessControl access;

    /** Authentication off: every request acts as {@code actor}. */
    public RequestActor(Actor actor) {
        this.actor = actor;
        this.access = null;
    }

    /** Authentication on: every request signs in against {@code access}. */
    public RequestActor(AccessControl access) {
        this.actor = null;
        this.access = access;
    }

    public boolean required() {
        return access != null;
    }

    public Actor of(Context ctx) {
        if (access == null) {
            return actor;
        }
        Actor signedIn = ctx.attribute(ATTRIBUTE);
        if (signedIn == null) {
            signedIn = signIn(ctx.header("Authorization")).orElseThrow(() -> {
                ctx.header("WWW-Authenticate", CHALLENGE);
                return new KeelException(ErrorCode.UNAUTHENTICATED, "sign in: send 'Authorization: Bearer <token>' "
                        + "or HTTP Basic credentials of a Keel user");
            });
            ctx.attribute(ATTRIBUTE, signedIn);
        }
        return signedIn;
    }

    /** The actor of an unauthenticated server, for its start-up message (null when authentication is on). */
    public Actor configured() {
        return actor;
    }

    private Optional<Actor> signIn(String authorization) {
        if (authorization == null) {
            return Optional.empty();
        }
        String value = authorization.strip();
        int space = value.indexOf(' ');
        if (space < 0) {
            return Optional.empty();
        }
        String scheme = value.substring(0, space);
        String credentials = value.substring(space + 1).strip();
        if (scheme.equalsIgnoreCase("Bearer")) {
            return access.authenticateToken(credentials);
        }
        if (scheme.equalsIgnoreCase("Basic")) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(credentials), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                return Optional.empty();
            }
            return access.authenticatePassword(decoded.substring(0, colon), decoded.substring(colon + 1));
        }
        return Optional.empty();
    }
}
