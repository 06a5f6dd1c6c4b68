package dev.keel.cli.demo;

import java.time.Duration;

/**
 * What the demo's clients saw, for the live display: totals since traffic started, and the rate
 * and p99 over the last second.
 *
 * @param split    how the endpoint splits traffic now, e.g. {@code production 90% | v2 10%}
 * @param p99      over the last second's answers; null when there were none
 * @param failures requests the server answered 5xx (the model failed), since the start
 */
record TrafficReading(String split, Duration elapsed, long requests, double requestsPerSecond, Duration p99,
                      long failures) {
}
