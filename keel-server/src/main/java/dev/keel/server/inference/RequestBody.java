package dev.keel.server.inference;

import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;

/** An inference request's body as bytes, refused with a 413 past the configured size, declared or not. */
final class RequestBody {
    private RequestBody() {
    }

    static byte[] read(Context ctx, int maxBytes) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            throw tooLarge(maxBytes);
        }
        try (InputStream in = ctx.req().getInputStream()) {
            if (declared >= 0) {
                // exactly the declared size: readNBytes(max) would allocate 8 KB chunks and copy them for
                // a body of a few hundred bytes, the bulk of a single-row request's garbage besides Javalin's
                return in.readNBytes((int) declared);
            }
            byte[] body = in.readNBytes(maxBytes + 1);
            if (body.length > maxBytes) {
                throw tooLarge(maxBytes);
            }
            return body;
        } catch (IOException e) {
            throw KeelException.invalid("the request body could not be read: " + e.getMessage());
        }
    }

    private static KeelException tooLarge(int maxBytes) {
        return new KeelException(ErrorCode.PAYLOAD_TOO_LARGE, "the request body is larger than " + maxBytes
                + " bytes, the most this server takes for an inference request");
    }
}
