package dev.keel.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * A command that runs against Keel: it gets a {@link Session}, opened when first used and closed
 * when the command ends, and exits 0 unless it throws (then {@link Main} reports the failure with
 * its exit code) or says otherwise as a picocli {@code IExitCodeGenerator}. The invocation it
 * answers to is held by the root of the command tree, the {@code keel} command {@link Main}
 * builds, so a subcommand is declared by its class and needs no constructor to carry it.
 */
abstract class SessionCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try (Session session = new Session(((Main.Keel) spec.root().userObject()).invocation())) {
            run(session);
        }
        return ExitCode.OK.value();
    }

    /** Checks what was typed, then does it on the session; the session opens on first use, not before. */
    abstract void run(Session session) throws Exception;

    /** This command as picocli sees it: its name, its options. */
    final CommandSpec spec() {
        return spec;
    }
}
