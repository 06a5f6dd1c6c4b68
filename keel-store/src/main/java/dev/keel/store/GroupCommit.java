package dev.keel.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import javax.sql.DataSource;

/**
 * SQLite's single writer as a queue. One thread owns the write connection; transactions that
 * arrive while it is busy are run together and committed once, each inside its own savepoint.
 *
 * <p>Why: a SQLite commit costs more than a small transaction's statements, and SQLite admits
 * one writer at a time anyway. With concurrent clients logging single metrics, committing
 * several transactions together keeps throughput up and the queue short. Each caller still
 * gets all-or-nothing: a unit that fails is rolled back to its savepoint alone, and no caller
 * hears "done" before the commit that holds its work has succeeded.
 */
final class GroupCommit implements AutoCloseable {
    /** Enough to amortize a commit; small enough that one group's latency stays low. */
    private static final int MAX_GROUP = 64;

    private final DataSource pool;
    private final BlockingQueue<Unit<?>> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closed;
    /** The writer thread's open transaction, for work that starts a nested transaction. */
    private Connection current;

    GroupCommit(DataSource pool, String name) {
        this.pool = pool;
        this.writer = new Thread(this::drain, name + "-writer");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** Runs {@code work} in a transaction committed with whatever else is waiting. */
    <T> T run(SqlWork<T> work) throws SQLException {
        if (Thread.currentThread() == writer) {
            return nested(work);
        }
        if (closed) {
            throw new SQLException("the database is closed");
        }
        Unit<T> unit = new Unit<>(work);
        queue.add(unit);
        try {
            return unit.result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for the write to commit", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SQLException sql) {
                throw sql;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new SQLException(cause);
        }
    }

    private <T> T nested(SqlWork<T> work) throws SQLException {
        Savepoint savepoint = current.setSavepoint();
        try {
            T value = work.run(current);
            current.releaseSavepoint(savepoint);
            return value;
        } catch (Throwable e) {
            current.rollback(savepoint);
            throw e;
        }
    }

    private void drain() {
        List<Unit<?>> group = new ArrayList<>(MAX_GROUP);
        while (!closed || !queue.isEmpty()) {
            try {
                Unit<?> first = queue.take();
                if (first.work == null) {
                    continue; // the wake-up sent by close()
                }
                group.add(first);
                queue.drainTo(group, MAX_GROUP - 1);
                commit(group);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                group.clear();
            }
        }
    }

    private void commit(List<Unit<?>> group) {
        List<Runnable> completions = new ArrayList<>(group.size());
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            current = connection;
            try {
                for (Unit<?> unit : group) {
                    if (unit.work == null) {
                        continue;
                    }
                    completions.add(unit.runIn(connection));
                }
                connection.commit();
            } catch (Throwable e) {
                connection.rollback();
                throw e;
            } finally {
                current = null;
                connection.setAutoCommit(true);
            }
        } catch (Throwable e) {
            // the commit itself failed: nothing of this group is stored, and everyone hears why
            for (Unit<?> unit : group) {
                unit.result.completeExceptionally(e);
            }
            return;
        }
        completions.forEach(Runnable::run);
    }

    @Override
    public void close() {
        closed = true;
        queue.add(new Unit<>(null));
        try {
            writer.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One caller's transaction and the answer it waits for. */
    private static final class Unit<T> {
        final SqlWork<T> work;
        final CompletableFuture<T> result = new CompletableFuture<>();

        Unit(SqlWork<T> work) {
            this.work = work;
        }

        /** Runs the work in its own savepoint; returns how to tell the caller once the group commits. */
        Runnable runIn(Connection connection) throws SQLException {
            Savepoint savepoint = connection.setSavepoint();
            try {
                T value = work.run(connection);
                connection.releaseSavepoint(savepoint);
                return () -> result.complete(value);
            } catch (SQLException | RuntimeException | Error e) {
                connection.rollback(savepoint);
                return () -> result.completeExceptionally(e);
            }
        }
    }
}
