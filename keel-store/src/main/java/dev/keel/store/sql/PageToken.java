package dev.keel.store.sql;

import dev.keel.core.KeelException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * An opaque page token: the sort key of the last row returned, and a fingerprint of the search
 * it came from, so a token handed to another search is refused instead of silently skipping rows.
 */
public record PageToken(int fingerprint, List<Object> sortKey) {
    private static final byte VERSION = 1;

    public PageToken {
        sortKey = List.copyOf(sortKey);
    }

    public String encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeInt(fingerprint);
            out.writeShort(sortKey.size());
            for (Object value : sortKey) {
                if (value instanceof Long l) {
                    out.writeByte('L');
                    out.writeLong(l);
                } else if (value instanceof Double d) {
                    out.writeByte('D');
                    out.writeLong(Double.doubleToRawLongBits(d));
                } else if (value instanceof String s) {
                    out.writeByte('S');
                    out.writeUTF(s);
                } else {
                    throw new IllegalArgumentException("cannot encode " + value);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.toByteArray());
    }

    /** Reads a token given by a caller; null or blank means "from the start". */
    public static PageToken decode(String token, int expectedFingerprint) {
        if (token == null || token.isBlank()) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(Base64.getUrlDecoder().decode(token)))) {
            if (in.readByte() != VERSION) {
                throw invalid();
            }
            int fingerprint = in.readInt();
            if (fingerprint != expectedFingerprint) {
                throw KeelException.invalid("'page_token' does not belong to this search");
            }
            int count = in.readUnsignedShort();
            List<Object> values = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                switch (in.readByte()) {
                    case 'L' -> values.add(in.readLong());
                    case 'D' -> values.add(Double.longBitsToDouble(in.readLong()));
                    case 'S' -> values.add(in.readUTF());
                    default -> throw invalid();
                }
            }
            if (in.available() > 0) {
                throw invalid();
            }
            return new PageToken(fingerprint, values);
        } catch (IOException | IllegalArgumentException e) {
            throw invalid();
        }
    }

    private static KeelException invalid() {
        return KeelException.invalid("'page_token' is not a token this server handed out");
    }
}
