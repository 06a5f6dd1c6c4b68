package dev.keel.server.http;

import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body that refuses to be read past a limit, for bodies sent without a
 * Content-Length (chunked) that the length check up front cannot see.
 */
final class BoundedBody extends FilterInputStream {
    private final long limit;
    private long read;

    BoundedBody(InputStream body, long limit) {
        super(body);
        this.limit = limit;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    private void count(int n) {
        read += n;
        if (read > limit) {
            throw tooLarge(limit);
        }
    }

    static KeelException tooLarge(long limit) {
        return new KeelException(ErrorCode.PAYLOAD_TOO_LARGE,
                "request body is larger than " + limit + " bytes, the most this server accepts for a JSON body");
    }
}
