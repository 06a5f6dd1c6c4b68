package dev.keel.governance.audit.sql;

import dev.keel.store.Database;
import dev.keel.store.Dialect;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * How the trail reaches its tables on the database: a read, one transaction, or one consistent
 * snapshot to stream from. The trail is the audit log itself, so unlike a capability's store it
 * records no events of its own.
 */
public final class AuditTables {
    private final Database db;

    public AuditTables(Database db) {
        this.db = db;
    }

    /** Work on the audit tables, on one connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(JdbcAuditStore tables) throws SQLException;
    }

    public <T> T read(Work<T> work) {
        return db.read(connection -> work.run(new JdbcAuditStore(connection)));
    }

    /** Runs {@code work} in one transaction: all of it is committed, or none of it. */
    public <T> T inTransaction(Work<T> work) {
        return db.inTransaction(connection -> work.run(new JdbcAuditStore(connection)));
    }

    /**
     * Runs {@code work} in one read-only snapshot with a forward-only cursor: PostgreSQL streams
     * a result set only inside a transaction, and its default isolation would let each query
     * see a different moment.
     */
    public <T> T snapshot(Work<T> work) {
        return db.read(connection -> {
            boolean postgres = db.dialect() == Dialect.POSTGRESQL;
            int isolation = connection.getTransactionIsolation();
            connection.setAutoCommit(false);
            if (postgres) {
                connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            }
            try {
                return work.run(new JdbcAuditStore(connection));
            } finally {
                connection.rollback();
                if (postgres) {
                    connection.setTransactionIsolation(isolation);
                }
                connection.setAutoCommit(true);
            }
        });
    }
}
