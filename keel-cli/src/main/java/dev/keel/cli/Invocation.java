package dev.keel.cli;

import java.io.PrintStream;
import java.util.Map;

/**
 * What one run of the {@code keel} command sees of the world: its environment and its two
 * output streams. Tests pass their own, so the command runs in-process without touching the
 * real environment. {@code interactive} says stderr is a terminal that can redraw a line.
 */
public record Invocation(Map<String, String> env, PrintStream out, PrintStream err, boolean interactive) {
    public Invocation {
        env = Map.copyOf(env);
    }

    /** The real process: its environment, stdout and stderr. */
    public static Invocation ofProcess() {
        return new Invocation(System.getenv(), System.out, System.err, System.console() != null);
    }
}
