package dev.keel.core;

/**
 * What went wrong, in MLflow's vocabulary so the protocol adapter needs no translation table.
 * The HTTP status lives here, once; every transport maps through it.
 */
public enum ErrorCode {
    INVALID_PARAMETER_VALUE(400),
    BAD_REQUEST(400),
    RESOURCE_ALREADY_EXISTS(400),
    UNAUTHENTICATED(401),
    PERMISSION_DENIED(403),
    RESOURCE_DOES_NOT_EXIST(404),
    ENDPOINT_NOT_FOUND(404),
    RESOURCE_CONFLICT(409),
    PAYLOAD_TOO_LARGE(413),
    REQUEST_LIMIT_EXCEEDED(429),
    INTERNAL_ERROR(500),
    NOT_IMPLEMENTED(501),
    TEMPORARILY_UNAVAILABLE(503);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The code an HTTP status stands for, when a remote peer only tells us the status. */
    public static ErrorCode fromName(String name, int httpStatus) {
        if (name != null) {
            for (ErrorCode code : values()) {
                if (code.name().equals(name)) {
                    return code;
                }
            }
        }
        for (ErrorCode code : values()) {
            if (code.httpStatus == httpStatus) {
                return code;
            }
        }
        return httpStatus >= 500 ? INTERNAL_ERROR : BAD_REQUEST;
    }
}
