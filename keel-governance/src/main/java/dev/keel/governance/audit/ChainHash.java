package dev.keel.governance.audit;

import dev.keel.api.audit.AuditEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * h_i = SHA-256(h_{i-1} || canonical(e_i)), with h_0 thirty-two zero bytes. One instance keeps
 * one digest for reuse, so it belongs to one thread at a time.
 */
final class ChainHash {
    static final String GENESIS = "0".repeat(64);
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
}
