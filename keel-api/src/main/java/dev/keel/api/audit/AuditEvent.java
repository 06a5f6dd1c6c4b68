package dev.keel.api.audit;

import java.time.Instant;

/**
 * One link of the audit chain as stored: what happened ({@code summary} is canonical JSON) and
 * the two hashes that tie it to the event before it.
 */
public record AuditEvent(long seq, long recordedAt, String actor, String action, String resource, String summary,
                         String prevHash, String hash) {

    public Instant time() {
        return Instant.ofEpochMilli(recordedAt);
    }

    /**
     * The event as hashed: canonical JSON of its fields, the chain's hashes aside. The summary
     * is already canonical and goes in as stored, so verification need not parse it.
     */
    public String canonical() {
        StringBuilder out = new StringBuilder(96 + summary.length() + resource.length());
        out.append("{\"action\":");
        CanonicalJson.string(out, action);
        out.append(",\"actor\":");
        CanonicalJson.string(out, actor);
        out.append(",\"resource\":");
        CanonicalJson.string(out, resource);
        out.append(",\"seq\":").append(seq);
        out.append(",\"summary\":").append(summary);
        out.append(",\"time\":").append(recordedAt);
        return out.append('}').toString();
    }

    /** The event as one line of an export: everything, hashes included, so others can replay the chain. */
    public String jsonLine() {
        StringBuilder out = new StringBuilder(256 + summary.length());
        out.append("{\"seq\":").append(seq);
        out.append(",\"time\":");
        CanonicalJson.string(out, time().toString());
        out.append(",\"recorded_at\":").append(recordedAt);
        out.append(",\"actor\":");
        CanonicalJson.string(out, actor);
        out.append(",\"action\":");
        CanonicalJson.string(out, action);
        out.append(",\"resource\":");
        CanonicalJson.string(out, resource);
        out.append(",\"summary\":").append(summary);
        out.append(",\"prev_hash\":\"").append(prevHash);
        out.append("\",\"hash\":\"").append(hash);
        return out.append("\"}").toString();
    }
}
