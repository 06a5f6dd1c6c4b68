package dev.keel.store;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Hashes a blob's bytes as they pass and, at the end of the stream, fails if they no longer
 * hash to the blob's address. Every byte goes through {@code read}, skipped ones too, so a
 * reader cannot step around a corrupted stretch; mark and reset are not offered for the same
 * reason.
 */
final class VerifyingInputStream extends FilterInputStream {
    private final MessageDigest digest;
    private final String expected;
    private final String blob;
    private String actual;

    /** {@code blob} names the blob in the error: its address and where it lives. */
    VerifyingInputStream(InputStream in, String expectedSha256, String blob) {
        super(in);
        this.digest = sha256();
        this.expected = expectedSha256;
        this.blob = blob;
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
        throw new IOException("a verified blob stream cannot be reset");
    }

    private void verify() throws IOException {
        if (actual == null) {
            actual = HexFormat.of().formatHex(digest.digest());
        }
        if (!actual.equals(expected)) {
            throw new IOException("blob " + blob + " is corrupt: its bytes hash to " + actual
                    + ", not to its address " + expected);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
