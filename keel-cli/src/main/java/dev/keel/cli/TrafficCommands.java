package dev.keel.cli;

import dev.keel.api.serving.EndpointService;
import dev.keel.api.serving.Shadow;
import dev.keel.core.Actor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code keel endpoints switch|shadow}: where an endpoint's live traffic goes, and where a copy of it goes. */
final class TrafficCommands {
    private TrafficCommands() {
    }

    @Command(name = "switch", mixinStandardHelpOptions = true,
            description = "Make VARIANT the active side of blue-green endpoint NAME (a switch, or a switch back).")
    static final class Switch extends NamedEndpointCommand {
        @Parameters(index = "1", paramLabel = "VARIANT")
        private String variant;

        @Override
        void run(Session session) {
            printer(session).endpoint(session.endpoints().switchTo(session.actor(), name, variant));
        }
    }

    @Command(name = "shadow", mixinStandardHelpOptions = true,
            description = "Copy a share of NAME's requests to a variant (VARIANT:PERCENT), or stop (off).")
    static final class ShadowCommand extends NamedEndpointCommand {
        @Parameters(index = "1", paramLabel = "VARIANT:PERCENT|off")
        private String shadow;

        @Override
        void run(Session session) {
            Shadow wanted = shadow.equals("off") ? null : EndpointInput.shadow(shadow);
            EndpointService endpoints = session.endpoints();
            Actor actor = session.actor();
            // made on the version just read: a change in between is refused (409), not undone
            long version = endpoints.getEndpoint(actor, name).version();
            printer(session).endpoint(endpoints.updateShadow(actor, name, version, wanted));
        }
    }
}
