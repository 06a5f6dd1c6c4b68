package dev.keel.client;

import dev.keel.api.audit.AuditEvent;
import dev.keel.api.audit.AuditService;
import dev.keel.api.audit.Checkpoint;
import dev.keel.api.audit.ExportLine;
import dev.keel.api.audit.Verification;
import dev.keel.api.http.AuditApi;
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

/**
 * {@link AuditService} over a Keel server's native REST API ({@link AuditApi}). The server
 * replays its own chain: this says what the server found. An export arrives line by line and is
 * handed on as it is read; each event keeps its summary exactly as it was hashed, so the events
 * can be replayed here too.
 *
 * <p>The {@code actor} argument is not sent: the server decides who a request acts as.
 */
record RemoteAuditService(KeelConnection server) implements AuditService {
    @Override
    public Verification verify(Actor actor) {
        return server.send(AuditApi.VERIFY.at()).toVerification();
    }

    @Override
    public List<AuditEvent> latest(Actor actor, String resource, int limit) {
        return server.send(AuditApi.EVENTS.at().query("resource", resource).query("limit", limit)).events();
    }

    @Override
    public long export(Actor actor, long sinceMillis, Consumer<AuditEvent> sink) {
        Checks.requireNonNull("sink", sink);
        long count = 0;
        try (InputStream body = server.open(AuditApi.EXPORT.at().query("since", sinceMillis)).body();
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
        return server.send(AuditApi.CHECKPOINT.at());
    }
}
