package dev.keel.serving.runtime;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class InFlightCallsTest {
    private final AtomicInteger closings = new AtomicInteger();
    private final InFlightCalls calls = new InFlightCalls(closings::incrementAndGet);

    @Test
    void closing_while_calls_run_waits_for_the_last_one() {
        assertThat(calls.enter()).isTrue();
        assertThat(calls.enter()).isTrue();

        calls.close();
        assertThat(closings).hasValue(0);
        assertThat(calls.enter()).isFalse();
        calls.exit();
        assertThat(closings).hasValue(0);
        calls.exit();

        assertThat(closings).hasValue(1);
        assertThat(calls.isClosed()).isTrue();
    }

    @Test
    void closing_when_idle_closes_at_once_and_only_once() {
        calls.close();
        calls.close();
        assertThat(calls.enter()).isFalse();

        assertThat(closings).hasValue(1);
    }
}
