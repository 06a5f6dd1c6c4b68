package dev.keel.api.serving;

import java.util.List;
import java.util.Map;

/**
 * How an endpoint splits live traffic among its variants. Every policy reduces to one split
 * (variant → percentage) that the {@link Router} compiles into a table; what differs is how the
 * split changes over time: never (single), all at once (blue-green), step by step under analysis
 * (canary), or not until a person decides on the evidence (A/B test).
 */
public sealed interface TrafficPolicy permits Single, BlueGreen, Canary, AbTest {

    /** The policy's name in stored definitions and on the wire: single, blue_green, canary, ab_test. */
    String kind();

    /** Every variant the policy names, each once. */
    List<String> variants();

    /**
     * Live traffic per variant in percent, adding up to 100, in the order the sticky-hash ranges
     * are laid out. The order is part of the contract: changing it moves sticky keys.
     */
    Map<String, Double> split();
}
