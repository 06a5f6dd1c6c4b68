package dev.keel.core;

/**
 * The one exception Keel throws on purpose. The message says what was wrong and what was
 * expected, naming the field; the code decides the HTTP status.
 */
public final class KeelException extends RuntimeException {
    private final ErrorCode code;

    public KeelException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public KeelException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    public static KeelException invalid(String message) {
        return new KeelException(ErrorCode.INVALID_PARAMETER_VALUE, message);
    }

    public static KeelException notFound(String message) {
        return new KeelException(ErrorCode.RESOURCE_DOES_NOT_EXIST, message);
    }

    public static KeelException alreadyExists(String message) {
        return new KeelException(ErrorCode.RESOURCE_ALREADY_EXISTS, message);
    }
}
