package dev.keel.serving.runtime;

import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;

/**
 * The error for a model that fails on a request it accepted: a 500 for that request only. The
 * message starts the same way for every runtime so logs and counters can tell a failing model
 * from a failing server.
 */
final class InferenceFailure {
    static final String PREFIX = "inference failed: ";

    private InferenceFailure() {
    }

    static KeelException of(ModelKey model, Throwable cause) {
        String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage().strip();
        return new KeelException(ErrorCode.INTERNAL_ERROR, PREFIX + model + " failed on this request: " + why, cause);
    }
}
