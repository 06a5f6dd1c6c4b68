package dev.keel.client;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A downloaded file checked against the SHA-256 the server announced in its {@code Repr-Digest}
 * header (RFC 9530): at the end of the stream the bytes must hash to it, and a transfer the
 * server broke off (because it found the stored bytes damaged) fails too. Either way the
 * failure is an {@link IOException} naming the file, as the embedded registry's stream fails.
 */
final class VerifiedDownload extends FilterInputStream {
    private final String file;
    private final byte[] expected;
    private final MessageDigest digest;
    private boolean checked;

    private VerifiedDownload(InputStream in, String file, byte[] expected) {
        super(in);
        this.file = file;
        this.expected = expected;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** {@code in} checked against {@code reprDigest} when it holds a sha-256; {@code in} itself otherwise. */
    static InputStream of(InputStream in, String file, Optional<String> reprDigest) {
        for (String member : reprDigest.orElse("").split(",")) {
            String[] pair = member.trim().split("=", 2);
            if (pair.length == 2 && pair[0].trim().equalsIgnoreCase("sha-256")) {
                String value = pair[1].trim();
                if (value.length() > 2 && value.startsWith(":") && value.endsWith(":")) {
                    return new VerifiedDownload(in, file, Base64.getDecoder().decode(value.substring(1, value.length() - 1)));
                }
            }
        }
        return in;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n;
        try {
            n = super.read(buffer, offset, length);
        } catch (IOException e) {
            throw new IOException(file + " could not be read whole: the server broke off the transfer ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                    + "); its stored bytes may be damaged", e);
        }
        if (n > 0) {
            digest.update(buffer, offset, n);
        } else if (n < 0 && !checked) {
            checked = true;
            byte[] actual = digest.digest();
            if (!MessageDigest.isEqual(actual, expected)) {
                throw new IOException(file + " does not match its manifest digest " + HexFormat.of().formatHex(expected)
                        + ": the bytes received hash to " + HexFormat.of().formatHex(actual));
            }
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // skipped bytes must still be hashed
        byte[] buffer = new byte[(int) Math.min(8192, Math.max(n, 1))];
        long skipped = 0;
        while (skipped < n) {
            int read = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
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
    public synchronized void mark(int limit) {
        // not supported: a reset would hash bytes twice
    }

    @Override
    public synchronized void reset() throws IOException {
        throw new IOException("mark/reset not supported");
    }
}
