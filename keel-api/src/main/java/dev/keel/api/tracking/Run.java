package dev.keel.api.tracking;

/** One execution of training or evaluation code: who and when, what it recorded, what it consumed. */
public record Run(RunInfo info, RunData data, RunInputs inputs) {
    public Run {
        inputs = inputs == null ? RunInputs.NONE : inputs;
    }

    public Run(RunInfo info, RunData data) {
        this(info, data, RunInputs.NONE);
    }
}
