package dev.keel.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * A {@code keel endpoints} command on the endpoint NAME that prints what it answers: an endpoint
 * or a rollout as lines, or with {@code --json} as the native API's shape ({@link EndpointPrinter}).
 */
abstract class NamedEndpointCommand extends SessionCommand {
    @Mixin
    private OutputFormat format;
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    final EndpointPrinter printer(Session session) {
        return new EndpointPrinter(session.out(), format.json);
    }
}
