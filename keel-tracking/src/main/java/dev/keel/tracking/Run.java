package dev.keel.tracking;

/** One execution of training or evaluation code. */
public record Run(RunInfo info, RunData data) {
}
