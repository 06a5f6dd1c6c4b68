package dev.keel.api.serving;

import dev.keel.core.Checks;
import dev.keel.core.KeelException;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Every request goes to {@code active}; {@code standby} takes none but stays loaded, so a switch
 * (and a switch back) is one change of the routing table. After a switch the side that stepped
 * down stays warm for {@code keepWarm}, as Argo Rollouts' scale-down delay, then may be unloaded;
 * a switch back after that still works, it only pays a cold load. Before the first switch the
 * standby is the new release being readied, so it is warm.
 *
 * @param lastSwitch when the sides were last switched; null before the first switch
 */
public record BlueGreen(String active, String standby, Duration keepWarm, Instant lastSwitch) implements TrafficPolicy {
    public static final Duration MAX_KEEP_WARM = Duration.ofDays(7);

    public BlueGreen {
        ServingName.requireValid("policy.active", active);
        ServingName.requireValid("policy.standby", standby);
        if (active.equals(standby)) {
            throw KeelException.invalid("'policy.standby' must differ from 'policy.active' (both are '" + active + "')");
        }
        Checks.requireNonNull("policy.keep_warm", keepWarm);
        if (keepWarm.isNegative() || keepWarm.compareTo(MAX_KEEP_WARM) > 0) {
            throw KeelException.invalid("'policy.keep_warm' must be from 0 to 7 days (got " + keepWarm + ")");
        }
    }

    public BlueGreen(String active, String standby, Duration keepWarm) {
        this(active, standby, keepWarm, null);
    }

    /** The sides swapped at {@code now}. */
    public BlueGreen switched(Instant now) {
        return new BlueGreen(standby, active, keepWarm, now);
    }

    /** Whether the standby should be kept loaded at {@code now}. */
    public boolean standbyWarm(Instant now) {
        return lastSwitch == null || now.isBefore(lastSwitch.plus(keepWarm));
    }

    @Override
    public String kind() {
        return "blue_green";
    }

    @Override
    public List<String> variants() {
        return List.of(active, standby);
    }

    @Override
    public Map<String, Double> split() {
        return Map.of(active, 100.0);
    }
}
