package dev.keel.api.audit;

/** What replaying the audit chain found. */
public sealed interface Verification {

    /**
     * Every event links to the one before it and every checkpoint's signature and hash hold.
     * {@code lastCheckpoint} is null when no checkpoint was signed yet.
     */
    record Intact(long events, Checkpoint lastCheckpoint) implements Verification {
    }

    /** The first place the chain does not hold, and how. */
    record Broken(long seq, Breach breach, String reason) implements Verification {
    }

    /** How a chain was found broken. */
    enum Breach {
        /** The event's fields no longer hash to its stored hash. */
        ALTERED,
        /** An event is missing: a gap in the sequence, or the chain ends before its head. */
        REMOVED,
        /** The event is intact but does not follow the one before it. */
        REORDERED,
        /** A checkpoint's signature is invalid, or the chain no longer hashes to what was signed. */
        CHECKPOINT_INVALID
    }
}
