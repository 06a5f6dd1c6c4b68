package dev.keel.server.http;

import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The one place where failures become HTTP responses: {@code {"error_code", "message"}} with the
 * status of the {@link ErrorCode}. Unexpected failures are logged and answered with a generic
 * message and a reference to the log line, so no internals leak to the caller.
 */
public final class ErrorResponses {
    private static final Logger log = LoggerFactory.getLogger(ErrorResponses.class);

    /** The error body of every Keel endpoint. */
    public record ErrorBody(String errorCode, String message) {
    }

    private final JsonBodies json;

    public ErrorResponses(JsonBodies json) {
        this.json = json;
    }

    public void register(RoutesConfig routes) {
        routes.exception(KeelException.class, (e, ctx) -> keelFailure(ctx, e));
        routes.exception(HttpResponseException.class, (e, ctx) -> frameworkFailure(ctx, e));
        routes.exception(Exception.class, (e, ctx) -> unexpected(ctx, e));
        // Javalin runs these after the handler and the mappers above, before the answer is written:
        // whoever answered with an error (here, the OIP routes, the inference access check), the
        // body it did not read is read first, so the answer arrives and the connection lives on
        for (int status : errorStatuses()) {
            routes.error(status, UnreadBody::discard);
        }
    }

    /** Every status a Keel error answer can have: its error codes', and 405, which Javalin may leave. */
    private static Set<Integer> errorStatuses() {
        Set<Integer> statuses = new TreeSet<>();
        for (ErrorCode code : ErrorCode.values()) {
            statuses.add(code.httpStatus());
        }
        statuses.add(405);
        return statuses;
    }

    private void keelFailure(Context ctx, KeelException e) {
        if (e.code() == ErrorCode.INTERNAL_ERROR) {
            unexpected(ctx, e);
            return;
        }
        render(ctx, e.code(), e.getMessage());
    }

    private void frameworkFailure(Context ctx, HttpResponseException e) {
        if (e.getStatus() == 404 || e.getStatus() == 405) {
            render(ctx, ErrorCode.ENDPOINT_NOT_FOUND, "no endpoint " + ctx.method() + " " + ctx.path());
        } else if (e.getStatus() == 413) {
            render(ctx, ErrorCode.PAYLOAD_TOO_LARGE, "request body is too large");
        } else {
            render(ctx, ErrorCode.fromName(null, e.getStatus()), e.getMessage());
        }
    }

    private void unexpected(Context ctx, Exception e) {
        String reference = UUID.randomUUID().toString().substring(0, 8);
        log.error("{} {} failed (reference {})", ctx.method(), ctx.path(), reference, e);
        render(ctx, ErrorCode.INTERNAL_ERROR, "internal error; the server log has the details under reference " + reference);
    }

    private void render(Context ctx, ErrorCode code, String message) {
        if (ctx.res().isCommitted()) {
            // the response is already streaming: the status can no longer change, so cut it short
            throw new IllegalStateException("failed after the response was committed: " + message);
        }
        ctx.res().resetBuffer();
        json.write(ctx, code.httpStatus(), new ErrorBody(code.name(), message));
    }
}
