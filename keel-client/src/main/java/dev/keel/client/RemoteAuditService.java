package dev.keel.client;

import dev.keel.api.audit.AuditEvent;
import dev.keel.api.audit.AuditService;
import dev.keel.api.audit.Checkpoint;
import dev.keel.api.audit.Verification;
import dev.keel.core.Actor;
import dev.keel.core.Checks;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

import static dev.keel.client.UriPaths.pair;
import static dev.keel.client.UriPaths.query;

/**
 * {@link AuditService} over a Keel server's native REST API ({@code /api/v1/audit}). The server
 * replays its own chain: this says what the server found. An export arrives line by line and is
 * handed on as it is read; each event keeps its summary exactly as it was hashed, so the events
 * can be replayed here too.
 *
 * <p>The {@code actor} argument is not sent: the server decides who a request acts as.
 */
public final class RemoteAuditService implements AuditService {
    private static final String AUDIT = "/api/v1/audit";

    private final KeelConnection server;

    RemoteAuditService(KeelConnection server) {
        this.server = server;
    }

    /** A verification as answered: intact with its count and last checkpoint, or the first broken event. */
    private record VerificationBody(boolean intact, Long events, Checkpoint lastCheckpoint, Long brokenSeq,
                                    Verification.Breach breach, String reason) {
        Verification toVerification() {
            if (intact) {
                return new Verification.Intact(events == null ? 0 : events, lastCheckpoint);
            }
            return new Verification.Broken(brokenSeq == null ? 0 : brokenSeq, breach, reason);
        }
    }

    private record AuditEventList(List<AuditEvent> events) {
    }

    @Override
    public Verification verify(Actor actor) {
        return server.exchange("GET", AUDIT + "/verify", null, VerificationBody.class).toVerification();
    }

    @Override
    public List<AuditEvent> latest(Actor actor, String resource, int limit) {
        return server.exchange("GET", AUDIT + "/events" + query(List.of(pair("resource", resource), pair("limit", limit))),
                null, AuditEventList.class).events();
    }

    @Override
    public long export(Actor actor, long sinceMillis, Consumer<AuditEvent> sink) {
        Checks.requireNonNull("sink", sink);
        String path = AUDIT + "/export" + query(List.<String[]>of(pair("since", sinceMillis)));
        long count = 0;
        try (InputStream body = server.open(path).body();
             BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (!line.isEmpty()) {
                    sink.accept(ExportLine.parse(line, count + 1));
                    count++;
                }
            }
        } catch (IOException e) {
            throw new KeelException(ErrorCode.TEMPORARILY_UNAVAILABLE, "the audit export from Keel at " + server.base()
                    + " was cut off after " + count + " events: " + e.getMessage(), e);
        }
        return count;
    }

    @Override
    public Checkpoint checkpoint(Actor actor) {
        return server.exchange("POST", AUDIT + "/checkpoint", null, Checkpoint.class);
    }
}
