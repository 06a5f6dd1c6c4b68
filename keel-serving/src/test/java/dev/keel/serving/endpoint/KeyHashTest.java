package dev.keel.serving.endpoint;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class KeyHashTest {

    /**
     * Pinned: these values decide which variant every sticky user gets on every replica. If this
     * test fails, a change to the hash would move users between A/B arms; do not update the
     * numbers, undo the change. (Checked against an independent FNV-1a + SplitMix64 implementation.)
     */
    @Test
    void the_hash_of_a_key_never_changes() {
        assertThat(KeyHash.of("checkout", "user-1")).isEqualTo(0x4e9f07a0598f83f9L);
        assertThat(KeyHash.of("checkout", "user-2")).isEqualTo(0x5664511dbcf5aaccL);
        assertThat(KeyHash.of("search", "user-1")).isEqualTo(0x11fd5cc65e5547f8L);
        assertThat(KeyHash.of("checkout", "")).isEqualTo(0x67ca213c5cdaac2fL);
        assertThat(KeyHash.of("checkout", "Ünïcødé-😀")).isEqualTo(0x6b306e7bd292e741L);
    }

    @Test
    void text_is_hashed_as_its_utf8_bytes() {
        for (String key : new String[] {"plain", "ümlaut", "€uro", "日本語", "emoji 😀 pair", "lone \ud800 high",
                "lone \udc00 low", "tail high \ud83d", ""}) {
            assertThat(KeyHash.of("e", key)).as(key).isEqualTo(KeyHash.of("e", key.getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void the_endpoint_salts_the_hash_so_experiments_assign_independently() {
        assertThat(KeyHash.of("a", "user")).isNotEqualTo(KeyHash.of("b", "user"));
        // the separator keeps ("ab", "c") and ("a", "bc") apart
        assertThat(KeyHash.of("ab", "c")).isNotEqualTo(KeyHash.of("a", "bc"));
    }

    @Test
    void sequential_keys_spread_evenly_over_the_top_bits() {
        int[] quarters = new int[4];
        for (int i = 0; i < 40_000; i++) {
            quarters[(int) (KeyHash.of("e", "user-" + i) >>> 62)]++;
        }
        for (int count : quarters) {
            assertThat(count).isBetween(9_500, 10_500);
        }
    }
}
