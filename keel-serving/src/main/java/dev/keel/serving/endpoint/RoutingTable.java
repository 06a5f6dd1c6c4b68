package dev.keel.serving.endpoint;

import dev.keel.api.serving.Endpoint;
import dev.keel.api.serving.Shadow;
import dev.keel.api.serving.Variant;
import dev.keel.serving.rollout.TrafficStatistics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One endpoint compiled for the request path. The policy's split becomes 16,384 slots, each
 * holding a variant, laid out in the split's order; a request takes the slot named by the top
 * 14 bits of its key's hash, or of a random draw when it has no key. So routing is one hash (or
 * draw) and two array reads, whatever the policy, and raising a canary's weight only hands
 * stable's slots next to the canary's range over to it: sticky keys already on the canary stay.
 *
 * <p>Slots give each variant its share to within 1/16384 (0.006 percentage points).
 */
final class RoutingTable {
    static final int SLOT_BITS = 14;
    static final int SLOTS = 1 << SLOT_BITS;
    private static final long MIRROR_SCALE = 1L << 32;

    final Endpoint endpoint;
    private final long seed;
    /** Null when one variant takes everything. */
    private final byte[] slots;
    /** The variant that takes everything, or -1. */
    private final int only;
    private final Route[] plain;
    private final Route[] mirrored;
    /** A draw's low 32 bits below this mirror the request: percent of 2^32. */
    private final long mirrorThreshold;

    RoutingTable(Endpoint endpoint, TrafficStatistics statistics) {
        this.endpoint = endpoint;
        this.seed = KeyHash.seed(endpoint.name());
        List<Variant> variants = endpoint.variants();
        Shadow shadow = endpoint.shadow();
        Variant shadowVariant = shadow == null ? null : endpoint.variant(shadow.variant());
        this.plain = new Route[variants.size()];
        this.mirrored = new Route[variants.size()];
        for (int i = 0; i < variants.size(); i++) {
            Variant variant = variants.get(i);
            plain[i] = new Route(endpoint.name(), endpoint.version(), variant,
                    statistics.variant(endpoint.name(), variant.name()), null, null);
            // a request is never copied to the variant that answered it
            mirrored[i] = shadowVariant == null || shadowVariant.name().equals(variant.name()) ? plain[i]
                    : new Route(endpoint.name(), endpoint.version(), variant,
                            plain[i].statistics(), shadowVariant, statistics.variant(endpoint.name(), shadowVariant.name()));
        }
        this.mirrorThreshold = shadow == null ? 0 : Math.round(shadow.percent() / 100.0 * MIRROR_SCALE);
        byte[] laidOut = layOut(endpoint);
        int first = laidOut[0];
        boolean uniform = true;
        for (byte slot : laidOut) {
            uniform &= slot == first;
        }
        this.slots = uniform ? null : laidOut;
        this.only = uniform ? first : -1;
    }

    /** The slots by largest remainder, so the counts add up to exactly {@link #SLOTS}. */
    private static byte[] layOut(Endpoint endpoint) {
        Map<String, Double> split = endpoint.policy().split();
        List<Integer> indexes = new ArrayList<>();
        List<Double> exact = new ArrayList<>();
        for (Map.Entry<String, Double> share : split.entrySet()) {
            indexes.add(endpoint.variants().indexOf(endpoint.variant(share.getKey())));
            exact.add(share.getValue() / 100.0 * SLOTS);
        }
        int[] counts = new int[exact.size()];
        int given = 0;
        for (int i = 0; i < counts.length; i++) {
            counts[i] = (int) Math.floor(exact.get(i));
            given += counts[i];
        }
        while (given < SLOTS) {
            int best = 0;
            double bestRemainder = -1;
            for (int i = 0; i < counts.length; i++) {
                double remainder = exact.get(i) - counts[i];
                if (remainder > bestRemainder) {
                    best = i;
                    bestRemainder = remainder;
                }
            }
            counts[best]++;
            given++;
        }
        byte[] slots = new byte[SLOTS];
        int at = 0;
        for (int i = 0; i < counts.length; i++) {
            for (int n = 0; n < counts[i] && at < SLOTS; n++) {
                slots[at++] = (byte) (int) indexes.get(i);
            }
        }
        return slots;
    }

    Route route(CharSequence key, SplitMix64 random) {
        if (only >= 0 && mirrorThreshold == 0) {
            return plain[only];
        }
        long draw = random.next();
        int variant = only >= 0 ? only
                : slots[(int) ((key == null ? draw : KeyHash.of(seed, key)) >>> (64 - SLOT_BITS))];
        // the slot comes from the draw's top bits, the mirroring from its low 32: independent
        return (draw & 0xffffffffL) < mirrorThreshold ? mirrored[variant] : plain[variant];
    }
}
