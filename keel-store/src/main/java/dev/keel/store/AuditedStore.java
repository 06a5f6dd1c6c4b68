package dev.keel.store;

import dev.keel.core.Actor;
import dev.keel.core.AuditAction;
import dev.keel.core.AuditLog;
import dev.keel.core.KeelException;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.function.Function;

/**
 * How a capability reads and changes its tables, the one way every service writes. A read runs
 * on a pooled connection; a change runs in one transaction together with the audit events that
 * describe it, so both are committed or neither is. A change that records no event is refused
 * (a change nobody can see in the trail is a bug) unless it says it changed nothing.
 *
 * <p>A transaction the database asks to try again is run again whole, up to three times: a
 * unique key another server inserted first (PostgreSQL), a serialization failure or deadlock,
 * or SQLite's busy lock held by another process. The second attempt sees the winner's row and
 * answers as if it had come second ("already exists"), so a race between servers is never a 500.
 *
 * @param <S> the capability's view of its tables on one connection, such as {@code JdbcTrackingStore}
 */
public final class AuditedStore<S> {
    private static final int ATTEMPTS = 3;

    private final Database db;
    private final AuditLog audit;
    private final Function<Connection, S> tables;

    public AuditedStore(Database db, AuditLog audit, Function<Connection, S> tables) {
        this.db = db;
        this.audit = audit;
        this.tables = tables;
    }

    /** Work that reads. */
    @FunctionalInterface
    public interface Read<S, T> {
        T run(S store) throws SQLException;
    }

    /** Work that changes, recording what it changed in {@code events}. */
    @FunctionalInterface
    public interface Write<S, T> {
        T run(S store, Events events) throws SQLException;
    }

    public Database database() {
        return db;
    }

    public <T> T read(Read<S, T> work) {
        return db.read(connection -> work.run(tables.apply(connection)));
    }

    /** Runs {@code work} as {@code actor} in one transaction with its audit events, retrying what the database asks to retry. */
    public <T> T write(Actor actor, Write<S, T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return db.inTransaction(connection -> {
                    Events events = new Events(audit, connection, actor);
                    T result = work.run(tables.apply(connection), events);
                    events.requireRecorded();
                    return result;
                });
            } catch (KeelException e) {
                if (attempt >= ATTEMPTS || !RetryableFailure.of(e)) {
                    throw e;
                }
            }
        }
    }

    /** The audit events of one change, written on its transaction as they are recorded. */
    public static final class Events {
        private final AuditLog audit;
        private final Connection connection;
        private final Actor actor;
        private boolean recorded;
        private boolean unchanged;

        private Events(AuditLog audit, Connection connection, Actor actor) {
            this.audit = audit;
            this.connection = connection;
            this.actor = actor;
        }

        public void record(AuditAction action, String resource, Map<String, ?> summary) throws SQLException {
            audit.record(connection, actor, action, resource, summary);
            recorded = true;
        }

        /** Says that the change found nothing to do, so it records no event. */
        public void unchanged() {
            unchanged = true;
        }

        /** The transaction, for what else must happen in it (a grant for a resource's creator). */
        public Connection connection() {
            return connection;
        }

        private void requireRecorded() {
            if (!recorded && !unchanged) {
                throw new IllegalStateException("a change was made without an audit event");
            }
        }
    }
}
