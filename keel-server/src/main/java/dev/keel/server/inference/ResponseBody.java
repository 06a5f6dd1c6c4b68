package dev.keel.server.inference;

import io.javalin.http.Context;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * An inference answer written straight to the response, with its length. Javalin's
 * {@code result(byte[])} copies the bytes through a fresh 32 KB buffer on every request, which
 * JFR showed to be most of what a single-row request allocated (see docs/PERFORMANCE.md,
 * "Serving"); the headers and status must be set before this is called.
 */
final class ResponseBody {
    private ResponseBody() {
    }

    static void write(Context ctx, byte[] body) {
        ctx.res().setContentLength(body.length);
        try {
            ctx.res().getOutputStream().write(body);
        } catch (IOException e) {
            // the client went away mid-answer: nothing more can reach it
            throw new UncheckedIOException("the answer could not be written: " + e.getMessage(), e);
        }
    }
}
