package dev.keel.server.http;

import dev.keel.core.Actor;
import io.javalin.http.Context;

/**
 * Who a request acts as. Authentication arrives in a later issue; until then every request acts
 * as the one actor the server was started with. This is the only place that decides it, so
 * authentication will replace this class and nothing else.
 */
public final class RequestActor {
    private final Actor actor;

    public RequestActor(Actor actor) {
        this.actor = actor;
    }

    public Actor of(Context ctx) {
        return actor;
    }

    public Actor configured() {
        return actor;
    }
}
