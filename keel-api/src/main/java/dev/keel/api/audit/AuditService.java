package dev.keel.api.audit;

import dev.keel.core.Actor;

import java.util.List;
import java.util.function.Consumer;

/**
 * The audit trail as its readers reach it, in-process or over HTTP: replay the chain, read the
 * newest events, export them, sign the head. Who may: with authentication on, admins and
 * approvers (auditors hold the approver role); members and viewers are refused with a 403,
 * because the trail shows every user's actions on every resource, including those they may not
 * read. With authentication off, whoever runs Keel may.
 */
public interface AuditService {
    /** {@link #latest} returns at most this many events. */
    int MAX_LATEST = 10_000;

    /** Replays the whole chain from its first event: every hash, every link, every checkpoint. */
    Verification verify(Actor actor);

    /**
     * The last {@code limit} events (1 to {@link #MAX_LATEST}), oldest first; with a
     * {@code resource}, only the events about it and about what lies under it.
     */
    List<AuditEvent> latest(Actor actor, String resource, int limit);

    /**
     * Streams every event from the first one recorded at or after {@code sinceMillis}, in chain
     * order, to {@code sink}, without holding them all; returns how many.
     */
    long export(Actor actor, long sinceMillis, Consumer<AuditEvent> sink);

    /** Signs the chain's head now and returns the checkpoint (the existing one if the head is already signed). */
    Checkpoint checkpoint(Actor actor);
}
