package dev.keel.governance.audit;

import dev.keel.api.audit.AuditEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Audit format 1 pinned to values computed outside Keel (Python's hashlib over the same bytes):
 * every chain already stored was hashed this way, so a change to the formula, to the canonical
 * spelling of an event or to its encoding must fail here rather than turn every stored event
 * into an "altered" one. Changing it on purpose means a new format number (see {@link ChainHash}).
 */
class ChainHashTest {
    private static final String PREVIOUS = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    /** 2026-01-01T00:00:00Z; a non-ASCII actor pins UTF-8 too. */
    private static final AuditEvent EVENT = new AuditEvent(42, 1_767_225_600_000L, "zoë", "run.log_param",
            "run/0123456789abcdef0123456789abcdef", "{\"key\":\"lr\",\"value\":\"0.01\"}", PREVIOUS, null);

    @Test
    void an_event_is_hashed_as_its_canonical_json_after_the_previous_hash() {
        assertThat(EVENT.canonical()).isEqualTo("{\"action\":\"run.log_param\",\"actor\":\"zoë\","
                + "\"resource\":\"run/0123456789abcdef0123456789abcdef\",\"seq\":42,"
                + "\"summary\":{\"key\":\"lr\",\"value\":\"0.01\"},\"time\":1767225600000}");

        assertThat(new ChainHash().next(PREVIOUS, EVENT))
                .isEqualTo("08a07f814d5212f54598235144a71266dc8ae3766604dd412c186f68bc57f272");
    }

    @Test
    void the_first_event_follows_thirty_two_zero_bytes() {
        assertThat(new ChainHash().next(ChainHash.GENESIS, EVENT))
                .isEqualTo("fa463b4c496da66d364406307cd8b48e812092f8f0c03d7f15e9ff9f637aec25");
    }
}
