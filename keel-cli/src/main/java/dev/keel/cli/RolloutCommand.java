package dev.keel.cli;

import picocli.CommandLine.Command;

/** {@code keel endpoints rollout NAME}: how the endpoint's latest rollout went, or is going. */
@Command(name = "rollout", mixinStandardHelpOptions = true,
        description = "Show NAME's latest rollout: status, history, and the rollback report if it rolled back.")
final class RolloutCommand extends NamedEndpointCommand {
    @Override
    void run(Session session) {
        printer(session).rollout(session.endpoints().getRollout(session.actor(), name));
    }
}
