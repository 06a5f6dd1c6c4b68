package dev.keel.governance.audit;

import dev.keel.api.audit.AuditEvent;
import dev.keel.core.ErrorCode;
import dev.keel.core.KeelException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * h_i = SHA-256(h_{i-1} || canonical(e_i)), with h_0 thirty-two zero bytes. One instance keeps
 * one digest for reuse, so it belongs to one thread at a time.
 *
 * <p>This formula, with {@link AuditEvent#canonical()} as it spells an event, is audit format
 * {@value #FORMAT}; every event is stored with the format it was hashed in. A Keel that hashes
 * differently must write a new format number, so that a replay by a Keel that does not know it
 * says so instead of reporting intact events as altered.
 */
final class ChainHash {
    static final String GENESIS = "0".repeat(64);
    /** The audit format this formula is. */
    static final int FORMAT = 1;
    private static final HexFormat HEX = HexFormat.of();

    private final MessageDigest sha256;

    ChainHash() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The hash of {@code event} following {@code prevHash}, as lowercase hex. */
    String next(String prevHash, AuditEvent event) {
        sha256.reset();
        sha256.update(HEX.parseHex(prevHash));
        sha256.update(event.canonical().getBytes(StandardCharsets.UTF_8));
        return HEX.formatHex(sha256.digest());
    }

    /** Refuses {@code what}, written in {@code format}, unless that is this formula's format. */
    static void requireKnown(int format, String what) {
        if (format != FORMAT) {
            throw new KeelException(ErrorCode.NOT_IMPLEMENTED, what + " was written in audit format " + format
                    + ", which this Keel does not know (it knows format " + FORMAT + "): a newer Keel wrote it;"
                    + " use one that knows its format");
        }
    }
}
