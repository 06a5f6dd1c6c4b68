package dev.keel.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the test moves by hand, so expiries, rollouts, windows and warm periods run without waiting. */
public final class SettableClock extends Clock {
    private volatile long millis;

    public SettableClock(Instant start) {
        this.millis = start.toEpochMilli();
    }

    public void set(Instant instant) {
        millis = instant.toEpochMilli();
    }

    public void advance(Duration by) {
        millis += by.toMillis();
    }

    @Override
    public long millis() {
        return millis;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
