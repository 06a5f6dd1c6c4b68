package dev.keel.core;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Decides whether an actor may act on a resource. Services ask it before every read or change
 * of an experiment's or a registered model's data, so every transport passes the same checks.
 * A refusal is a {@link KeelException} with {@link ErrorCode#PERMISSION_DENIED} whose message
 * says what was needed.
 */
public interface Authorizer {

    /** Returns when {@code actor} holds at least {@code permission} on {@code resource}; throws otherwise. */
    void require(Actor actor, Permission permission, Resource resource);

    /** Returns when {@code actor} may create a new resource of this kind (viewers may not). */
    void requireCreate(Actor actor, Resource.Kind kind);

    /** Returns when {@code actor} holds {@code role} (admins hold every role). */
    void requireRole(Actor actor, Role role);

    /**
     * Which resources of {@code kind} {@code actor} holds READ on, for a search to filter on
     * inside its query (so pages stay full and page tokens stay exact). Agrees with
     * {@link #require} for READ on every resource.
     */
    Visibility visible(Actor actor, Resource.Kind kind);

    /**
     * Gives the creator of a new resource MANAGE on it, on {@code tx}, the transaction that
     * creates it; grants left from an earlier resource of the same id are dropped.
     */
    void grantCreator(Connection tx, Actor actor, Resource resource) throws SQLException;

    /** Moves the grants on {@code from} to {@code to} (a registered model was renamed), on {@code tx}. */
    void moved(Connection tx, Resource from, Resource to) throws SQLException;

    /** Everyone may do everything: authentication is off (a local, single-user Keel). */
    Authorizer ALLOW_ALL = new Authorizer() {
        @Override
        public void require(Actor actor, Permission permission, Resource resource) {
        }

        @Override
        public void requireCreate(Actor actor, Resource.Kind kind) {
        }

        @Override
        public void requireRole(Actor actor, Role role) {
        }

        @Override
        public Visibility visible(Actor actor, Resource.Kind kind) {
            return Visibility.ALL;
        }

        @Override
        public void grantCreator(Connection tx, Actor actor, Resource resource) {
        }

        @Override
        public void moved(Connection tx, Resource from, Resource to) {
        }

        @Override
        public String toString() {
            return "Authorizer.ALLOW_ALL";
        }
    };
}
