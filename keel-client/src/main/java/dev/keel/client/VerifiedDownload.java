package dev.keel.client;

import dev.keel.core.VerifyingInputStream;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
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

    private VerifiedDownload(InputStream in, String file) {
        super(in);
        this.file = file;
    }

    /** {@code in} checked against {@code reprDigest} when it holds a sha-256; {@code in} itself otherwise. */
    static InputStream of(InputStream in, String file, Optional<String> reprDigest) {
        for (String member : reprDigest.orElse("").split(",")) {
            String[] pair = member.trim().split("=", 2);
            if (pair.length == 2 && pair[0].trim().equalsIgnoreCase("sha-256")) {
                String value = pair[1].trim();
                if (value.length() > 2 && value.startsWith(":") && value.endsWith(":")) {
                    String expected = HexFormat.of().formatHex(Base64.getDecoder().decode(value.substring(1, value.length() - 1)));
                    return new VerifyingInputStream(new VerifiedDownload(in, file), expected, (wanted, actual) ->
                            file + " does not match its manifest digest " + wanted + ": the bytes received hash to " + actual);
                }
            }
        }
        return in;
    }

    /** A broken-off transfer, told as what it means for the file. */
    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        try {
            return super.read(buffer, offset, length);
        } catch (IOException e) {
            throw new IOException(file + " could not be read whole: the server broke off the transfer ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                    + "); its stored bytes may be damaged", e);
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }
}
