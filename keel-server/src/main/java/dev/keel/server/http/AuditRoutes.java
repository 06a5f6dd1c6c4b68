package dev.keel.server.http;

import dev.keel.api.audit.AuditService;
import dev.keel.api.audit.AuditTime;
import dev.keel.core.Actor;
import dev.keel.api.http.AuditBodies.AuditEventList;
import dev.keel.api.http.AuditBodies.VerificationBody;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.keel.api.http.AuditApi.*;

/**
 * The audit trail ({@link dev.keel.api.http.AuditApi}): parse, call {@link AuditService}, render. Only
 * admins and approvers (auditors) may use it when authentication is on; the service decides.
 */
public record AuditRoutes(AuditService audit) {

    public static final String NDJSON = "application/x-ndjson";

    public List<Route> routes(RouteBinder bind) {
        return List.of(
                bind.answer(VERIFY, x -> VerificationBody.of(audit.verify(x.actor()))),
                bind.answer(EVENTS, x -> {
                    String resource = x.given("resource");
                    int limit = x.integer("limit", DEFAULT_LIMIT);
                    return new AuditEventList(audit.latest(x.actor(), resource, limit));
                }),
                bind.handle(EXPORT, this::export),
                bind.answer(CHECKPOINT, x -> audit.checkpoint(x.actor())));
    }

    /**
     * Writes each event as it is read, through a small buffer: a trail of millions of events is
     * never held in memory, and a failure half-way cuts the connection (see {@link StreamedAnswer}).
     */
    private void export(Exchange<Void> x) throws IOException {
        String since = x.given("since");
        long from = since == null ? 0 : AuditTime.parse("since", since);
        Actor actor = x.actor();
        StreamedAnswer.write(x.context(), NDJSON + "; charset=utf-8", "audit export", body -> {
            Writer out = new BufferedWriter(new OutputStreamWriter(body, StandardCharsets.UTF_8), 1 << 16);
            audit.export(actor, from, event -> {
                try {
                    out.write(event.jsonLine());
                    out.write('\n');
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            out.flush();
        });
    }
}
