package dev.keel.api.audit;

import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;

/**
 * One line of an audit export read back into the event it was written from. The summary is
 * cut out of the line as the characters the server sent, not parsed and re-written: those
 * characters are what was hashed, and any re-rendering (of a number, of an escape) would make
 * an intact event look altered.
 */
public final class ExportLine {
    private static final JsonFactory JSON = new JsonFactory();

    private ExportLine() {
    }

    public static AuditEvent parse(String line, long number) {
        Long seq = null;
        Long recordedAt = null;
        String actor = null;
        String action = null;
        String resource = null;
        String summary = null;
        String prevHash = null;
        String hash = null;
        try (JsonParser parser = JSON.createParser(line)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw unreadable(number, "not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "seq" -> seq = parser.getLongValue();
                    case "recorded_at" -> recordedAt = parser.getLongValue();
                    case "actor" -> actor = parser.getText();
                    case "action" -> action = parser.getText();
                    case "resource" -> resource = parser.getText();
                    case "prev_hash" -> prevHash = parser.getText();
                    case "hash" -> hash = parser.getText();
                    case "summary" -> {
                        if (value != JsonToken.START_OBJECT) {
                            throw unreadable(number, "'summary' is not a JSON object");
                        }
                        int start = (int) parser.currentTokenLocation().getCharOffset();
                        parser.skipChildren();
                        int end = (int) parser.currentTokenLocation().getCharOffset() + 1;
                        summary = line.substring(start, end);
                    }
                    default -> parser.skipChildren();
                }
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof KeelException keel) {
                throw keel;
            }
            throw unreadable(number, e.getMessage());
        }
        if (seq == null || recordedAt == null || actor == null || action == null || resource == null || summary == null
                || prevHash == null || hash == null) {
            throw unreadable(number, "a field is missing");
        }
        return new AuditEvent(seq, recordedAt, actor, action, resource, summary, prevHash, hash);
    }

    private static KeelException unreadable(long number, String why) {
        return new KeelException(ErrorCode.INTERNAL_ERROR, "line " + number + " of the audit export cannot be read: " + why);
    }
}
