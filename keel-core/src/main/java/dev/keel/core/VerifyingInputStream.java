package dev.keel.core;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Hashes bytes as they pass and, at the end of the stream, fails if they do not hash to the
 * SHA-256 they were promised: a blob's address, a manifest's digest, a server's announced
 * digest. Every byte goes through {@code read}, skipped ones too, so a reader cannot step
 * around a corrupted stretch; mark and reset are not offered for the same reason.
 */
public final class VerifyingInputStream extends FilterInputStream {
    /** The error message for bytes that hash to {@code actual} instead of {@code expected} (hex). */
    @FunctionalInterface
    public interface Mismatch {
        String describe(String expected, String actual);
    }

    private final MessageDigest digest;
    private final String expected;
    private final Mismatch mismatch;
    private String actual;

    /** {@code expectedSha256} in lowercase hex. */
    public VerifyingInputStream(InputStream in, String expectedSha256, Mismatch mismatch) {
        super(in);
        this.digest = sha256();
        this.expected = expectedSha256;
        this.mismatch = mismatch;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b < 0) {
            verify();
        } else {
            digest.update((byte) b);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = in.read(buffer, offset, length);
        if (n < 0) {
            verify();
        } else if (n > 0) {
            digest.update(buffer, offset, n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] scratch = new byte[(int) Math.min(8192, Math.max(n, 1))];
        long skipped = 0;
        while (skipped < n) {
            int read = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
            if (read < 0) {
                break;
            }
            skipped += read;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public synchronized void mark(int readLimit) {
    }

    @Override
    public synchronized void reset() throws IOException {
        throw new IOException("a verified stream cannot be reset");
    }

    private void verify() throws IOException {
        if (actual == null) {
            actual = HexFormat.of().formatHex(digest.digest());
        }
        if (!actual.equals(expected)) {
            throw new IOException(mismatch.describe(expected, actual));
        }
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
