package dev.keel.cli;

import picocli.CommandLine.Option;

/** The {@code --json} switch every command that prints data shares. */
final class OutputFormat {
    @Option(names = "--json", description = "print one JSON document on stdout instead of a table")
    boolean json;
}
