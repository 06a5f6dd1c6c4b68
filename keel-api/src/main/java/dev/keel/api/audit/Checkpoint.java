package dev.keel.api.audit;

import java.time.Instant;

/** The chain's head at {@code seq}, signed: after it, no event up to {@code seq} can be rewritten unnoticed. */
public record Checkpoint(long seq, String hash, long signedAt, String keyId, String signature) {

    public Instant time() {
        return Instant.ofEpochMilli(signedAt);
    }

    /** What the key signs: the head and the time, as canonical JSON. */
    public String signedText() {
        return "{\"hash\":\"" + hash + "\",\"seq\":" + seq + ",\"time\":" + signedAt + "}";
    }
}
