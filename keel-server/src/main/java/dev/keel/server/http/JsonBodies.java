package dev.keel.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.keel.core.KeelException;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads JSON request bodies and writes JSON responses with one shared mapper. Readers are made
 * once per type, so a request costs parsing, not reflection. Every way a body can be wrong
 * — wrong content type, too large, malformed, wrong types — ends as a {@link KeelException}.
 */
public final class JsonBodies {
    public static final String JSON = "application/json";

    private final ObjectMapper mapper;
    private final ObjectWriter writer;
    private final long maxBodyBytes;
    private final Map<Class<?>, ObjectReader> readers = new ConcurrentHashMap<>();

    public JsonBodies(ObjectMapper mapper, long maxBodyBytes) {
        this.mapper = mapper;
        this.writer = mapper.writer();
        this.maxBodyBytes = maxBodyBytes;
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    /** The body as a {@code type}; never null (a JSON {@code null} body is refused). */
    public <T> T read(Context ctx, Class<T> type) {
        requireJsonContentType(ctx);
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBodyBytes) {
            throw BoundedBody.tooLarge(maxBodyBytes);
        }
        T value;
        try (InputStream body = new BoundedBody(ctx.req().getInputStream(), maxBodyBytes)) {
            value = readers.computeIfAbsent(type, mapper::readerFor).readValue(body);
        } catch (IOException e) {
            throw JsonFailures.translate(e);
        } catch (RuntimeException e) {
            // a record constructor's KeelException may arrive unwrapped, others wrapped in Jackson's
            throw e instanceof KeelException k ? k : JsonFailures.translate(new IOException(e.getMessage(), e));
        }
        if (value == null) {
            throw KeelException.invalid("request body must be " + JsonFailures.describe(type) + ", not empty or null");
        }
        return value;
    }

    public void write(Context ctx, int status, Object value) {
        try {
            ctx.status(status).contentType(JSON).result(writer.writeValueAsBytes(value));
        } catch (IOException e) {
            throw new IllegalStateException("cannot render " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    private static void requireJsonContentType(Context ctx) {
        String contentType = ctx.contentType();
        String mime = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!mime.equals(JSON) && !mime.endsWith("+json")) {
            throw KeelException.invalid("'Content-Type' must be " + JSON + " for a JSON request body (got "
                    + (contentType == null ? "none" : "'" + contentType + "'") + ")");
        }
    }
}
