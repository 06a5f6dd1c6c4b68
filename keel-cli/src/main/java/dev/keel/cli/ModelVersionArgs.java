package dev.keel.cli;

import picocli.CommandLine.Parameters;

/** {@code NAME VERSION}: the registered model's version a command is about, as its first two parameters. */
final class ModelVersionArgs {
    @Parameters(index = "0", paramLabel = "NAME", description = "the registered model")
    String name;
    @Parameters(index = "1", paramLabel = "VERSION", description = "the version number")
    long version;
}
