package dev.keel.server.http;

import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;

/**
 * What an error answer left of the request body, read and thrown away before the answer goes
 * out, so that the client receives the answer and its connection serves the next request.
 *
 * <p>Why: many errors are found before the body matters — no such route, a bad path parameter,
 * a body declared larger than the limit, a caller without permission. Jetty keeps a connection
 * open only when the request's body was consumed. Otherwise it answers with
 * {@code Connection: close}, throws away a few more kilobytes while it waits for the client to
 * stop sending, and then closes the socket: a client still sending by then gets a reset instead
 * of the answer ({@code java.net.http}: "HTTP/1.1 header parser received no bytes"; a client
 * that writes the whole body before reading: "Broken pipe"). Whether the body had arrived in time
 * was a matter of TCP timing, so a small request mostly lost only its connection and a large
 * one mostly lost its answer too.
 *
 * <p>At most {@link #MOST_DISCARDED} bytes are read. A body declared larger is not worth a
 * thread's time: its answer says {@code Connection: close} and reads nothing. A client sending
 * such a body gets its answer reliably by asking with {@code Expect: 100-continue} (the SDK does
 * for uploads): the answer then comes before any byte of the body is sent. A request with that
 * header is never read here, as reading would make Jetty invite the client to send the body
 * that the answer refuses.
 */
final class UnreadBody {
    /** Four times the default JSON and inference body limits: a body that far over still gets its 413. */
    static final long MOST_DISCARDED = 64L * 1024 * 1024;

    private UnreadBody() {
    }

    /** Reads what is left of the body of {@code ctx}'s request, unless the answer is already on its way. */
    static void discard(Context ctx) {
        if (ctx.res().isCommitted() || !hasBody(ctx)) {
            return;
        }
        if ("100-continue".equalsIgnoreCase(ctx.header("Expect"))) {
            // Jetty closes the connection itself when the body it never invited is not consumed
            return;
        }
        long declared = ctx.req().getContentLengthLong();
        if (declared > MOST_DISCARDED || !readToEnd(ctx)) {
            ctx.header("Connection", "close");
        }
    }

    private static boolean hasBody(Context ctx) {
        return ctx.req().getContentLengthLong() > 0 || ctx.header("Transfer-Encoding") != null;
    }

    /** True when the body was read to its end within {@link #MOST_DISCARDED} bytes. */
    private static boolean readToEnd(Context ctx) {
        byte[] skipped = new byte[8192];
        long left = MOST_DISCARDED;
        try {
            InputStream body = ctx.req().getInputStream();
            while (left > 0) {
                int n = body.read(skipped, 0, (int) Math.min(skipped.length, left));
                if (n < 0) {
                    return true;
                }
                left -= n;
            }
            return body.read() < 0;
        } catch (IOException | RuntimeException e) {
            // the client stopped sending, or sent a malformed chunk: the connection cannot go on
            return false;
        }
    }
}
