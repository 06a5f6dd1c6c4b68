package dev.keel.serving.rollout;

/** A model signal's value over a span of time, and how many samples it rests on. */
public record SignalReading(double value, long samples) {
}
