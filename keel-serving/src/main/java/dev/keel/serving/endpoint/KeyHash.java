package dev.keel.serving.endpoint;

/**
 * The fixed 64-bit hash that assigns a request key to a variant: FNV-1a over the UTF-8 bytes of
 * the endpoint's name, a zero byte and the key, finished with SplitMix64's mixer (FNV alone
 * spreads its high bits poorly). It depends on nothing but those bytes, so every replica, every
 * restart and every later version of Keel assigns a key alike; the tests pin its values, and
 * changing it would move every sticky user.
 *
 * <p>The endpoint's name salts the hash so that one user's arms in two experiments are independent.
 * UTF-8 is encoded on the fly, without allocating; unpaired surrogates count as '?', as
 * {@link String#getBytes} encodes them.
 */
public final class KeyHash {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private KeyHash() {
    }

    /** The hash of {@code key} on endpoint {@code endpoint}. */
    public static long of(String endpoint, CharSequence key) {
        return of(seed(endpoint), key);
    }

    /** The state after the endpoint's name and the separator: computed once per routing table. */
    static long seed(String endpoint) {
        return update(update(FNV_OFFSET, endpoint), 0);
    }

    static long of(long seed, CharSequence key) {
        return mix(update(seed, key));
    }

    /** The same hash over bytes already encoded as UTF-8. */
    public static long of(String endpoint, byte[] keyUtf8) {
        long h = seed(endpoint);
        for (byte b : keyUtf8) {
            h = update(h, b & 0xff);
        }
        return mix(h);
    }

    private static long update(long h, int octet) {
        return (h ^ octet) * FNV_PRIME;
    }

    private static long update(long h, CharSequence text) {
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                h = update(h, c);
            } else if (c < 0x800) {
                h = update(update(h, 0xc0 | (c >>> 6)), 0x80 | (c & 0x3f));
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, text.charAt(++i));
                h = update(h, 0xf0 | (cp >>> 18));
                h = update(h, 0x80 | ((cp >>> 12) & 0x3f));
                h = update(h, 0x80 | ((cp >>> 6) & 0x3f));
                h = update(h, 0x80 | (cp & 0x3f));
            } else if (Character.isSurrogate(c)) {
                h = update(h, '?');
            } else {
                h = update(h, 0xe0 | (c >>> 12));
                h = update(h, 0x80 | ((c >>> 6) & 0x3f));
                h = update(h, 0x80 | (c & 0x3f));
            }
        }
        return h;
    }

    /** SplitMix64's finaliser: every input bit moves every output bit. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
