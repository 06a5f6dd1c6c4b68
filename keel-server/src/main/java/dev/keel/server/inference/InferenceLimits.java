package dev.keel.server.inference;

import dev.keel.core.KeelException;

/**
 * How much one inference request may carry: bytes of body, values in one tensor, rows in one
 * scoring request. Past them a request is refused (413) before it costs memory.
 */
public record InferenceLimits(int maxBodyBytes, int maxValues, int maxRows) {
    public static final InferenceLimits DEFAULTS = new InferenceLimits(16 * 1024 * 1024, 4_000_000, 100_000);

    public InferenceLimits {
        if (maxBodyBytes < 1 || maxValues < 1 || maxRows < 1) {
            throw KeelException.invalid("inference limits must be positive (got body " + maxBodyBytes + " bytes, "
                    + maxValues + " values, " + maxRows + " rows)");
        }
    }
}
