package dev.keel.cli;

import dev.keel.core.KeelException;

/** The command's exit status: scripts can tell "you asked for something wrong" from "it broke". */
public enum ExitCode {
    OK(0), FAILURE(1), BAD_INPUT(2);

    private final int value;

    ExitCode(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    /** A 4xx is the caller's mistake (bad input, unknown id); anything else is a failure. */
    public static ExitCode of(KeelException e) {
        int status = e.code().httpStatus();
        return status >= 400 && status < 500 ? BAD_INPUT : FAILURE;
    }
}
