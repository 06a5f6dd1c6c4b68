package dev.keel.server.http;

import dev.keel.api.tracking.Metric;
import com.fasterxml.jackson.core.JsonGenerator;
import io.javalin.http.Context;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * An answer written as it is produced (a file, an export, a long metric history), never held
 * whole in memory. Once the first bytes are out the status cannot change, so a failure after
 * that (a digest that no longer matches, a lost database) aborts the connection: the client sees
 * a cut-off body, never a short answer that looks complete.
 */
public final class StreamedAnswer {
    private static final Logger log = LoggerFactory.getLogger(StreamedAnswer.class);

    private StreamedAnswer() {
    }

    /** Writes the answer's bytes. */
    @FunctionalInterface
    public interface Body {
        void write(OutputStream out) throws IOException;
    }

    /** Answers 200 with {@code contentType}, the body written by {@code body}; {@code what} names it in the log. */
    public static void write(Context ctx, String contentType, String what, Body body) throws IOException {
        ctx.status(200).contentType(contentType);
        try {
            body.write(ctx.outputStream());
        } catch (RuntimeException | IOException e) {
            if (!ctx.res().isCommitted()) {
                throw e;
            }
            log.error("{} failed after the response started", what, e);
            ServletContextRequest.getServletContextRequest(ctx.req()).getServletChannel().abort(e);
        }
    }

    /** Streams {@code content} as raw bytes and closes it. */
    public static void bytes(Context ctx, InputStream content, String what) throws IOException {
        try (content) {
            write(ctx, "application/octet-stream", what, content::transferTo);
        }
    }

    /** Writes metric points as a JSON array of {@code {key, value, timestamp, step}}, one by one. */
    public static void points(JsonGenerator out, List<Metric> points) throws IOException {
        out.writeStartArray();
        for (Metric point : points) {
            out.writeStartObject();
            out.writeStringField("key", point.key());
            out.writeNumberField("value", point.value());
            out.writeNumberField("timestamp", point.timestamp());
            out.writeNumberField("step", point.step());
            out.writeEndObject();
        }
        out.writeEndArray();
    }
}
