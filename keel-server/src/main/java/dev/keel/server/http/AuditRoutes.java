package dev.keel.server.http;

import dev.keel.api.audit.AuditService;
import dev.keel.api.audit.AuditTime;
import dev.keel.api.audit.Checkpoint;
import dev.keel.core.Actor;
import dev.keel.server.http.AuditBodies.AuditEventList;
import dev.keel.server.http.AuditBodies.ExportedEvent;
import dev.keel.server.http.AuditBodies.VerificationBody;
import io.javalin.http.Context;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The audit trail under {@code /api/v1/audit}: parse, call {@link AuditService}, render. Only
 * admins and approvers (auditors) may use it when authentication is on; the service decides.
 */
public final class AuditRoutes {
    private static final Logger log = LoggerFactory.getLogger(AuditRoutes.class);
    public static final String NDJSON = "application/x-ndjson";
    private static final int DEFAULT_LIMIT = 50;

    private final AuditService audit;
    private final JsonBodies json;
    private final RequestActor actors;

    public AuditRoutes(AuditService audit, JsonBodies json, RequestActor actors) {
        this.audit = audit;
        this.json = json;
        this.actors = actors;
    }

    public List<Route> routes() {
        return List.of(
                Route.get("/api/v1/audit/verify", "Replay the whole hash chain and every signed checkpoint; intact or "
                                + "not, the answer is 200 and says which, naming the first broken event (admins and approvers)")
                        .returns(VerificationBody.class)
                        .handledBy(ctx -> json.write(ctx, 200, VerificationBody.of(audit.verify(actors.of(ctx))))),
                Route.get("/api/v1/audit/events", "The newest events, oldest first (admins and approvers)")
                        .query(QueryParameter.of("resource", String.class, "only events about this resource and what lies "
                                + "under it: run/ID, experiment/ID, model/NAME, model/NAME/version/N, user/NAME"))
                        .query(QueryParameter.of("limit", Integer.class, "at most this many (1 to "
                                + AuditService.MAX_LATEST + ", " + DEFAULT_LIMIT + " by default)"))
                        .returns(AuditEventList.class)
                        .handledBy(ctx -> {
                            String resource = Queries.text(ctx, "resource");
                            int limit = Queries.integer(ctx, "limit", DEFAULT_LIMIT);
                            json.write(ctx, 200, new AuditEventList(audit.latest(actors.of(ctx),
                                    resource == null || resource.isEmpty() ? null : resource, limit)));
                        }),
                Route.get("/api/v1/audit/export", "Stream the chain from the first event recorded at or after 'since', "
                                + "one JSON object per line with both hashes, so it can be replayed elsewhere (admins and approvers)")
                        .query(QueryParameter.of("since", String.class, "an instant (2026-01-31T12:00:00Z), a UTC date "
                                + "(2026-01-31) or epoch milliseconds; the beginning by default"))
                        .returnsJsonLines(ExportedEvent.class)
                        .handledBy(this::export),
                Route.post("/api/v1/audit/checkpoint", "Sign the chain's head now (Keel also signs one every 1000 events); "
                                + "answers the existing checkpoint when the head is signed already (admins and approvers)")
                        .returns(Checkpoint.class)
                        .handledBy(ctx -> json.write(ctx, 200, audit.checkpoint(actors.of(ctx)))));
    }

    /**
     * Writes each event as it is read, through a small buffer: a trail of millions of events is
     * never held in memory. Once the first bytes are out the status cannot change, so a failure
     * after that aborts the connection: the client sees a cut-off body, never a short export
     * that looks complete.
     */
    private void export(Context ctx) throws IOException {
        String since = Queries.text(ctx, "since");
        long from = since == null || since.isEmpty() ? 0 : AuditTime.parse("since", since);
        Actor actor = actors.of(ctx);
        ctx.status(200).contentType(NDJSON + "; charset=utf-8");
        try {
            Writer out = new BufferedWriter(new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8), 1 << 16);
            audit.export(actor, from, event -> {
                try {
                    out.write(event.jsonLine());
                    out.write('\n');
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            out.flush();
        } catch (RuntimeException | IOException e) {
            if (!ctx.res().isCommitted()) {
                throw e;
            }
            log.warn("audit export cut off after the response started: {}", e.toString());
            ServletContextRequest.getServletContextRequest(ctx.req()).getServletChannel().abort(e);
        }
    }
}
