package dev.keel.cli;

import dev.keel.api.serving.NewEndpoint;
import dev.keel.api.serving.Single;
import dev.keel.api.serving.TrafficPolicy;
import dev.keel.api.serving.Variant;
import dev.keel.core.KeelException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/**
 * {@code keel endpoints create|list|show|delete|switch|shadow|canary|rollout|compare}: serving
 * endpoints and their canary rollouts, on the local store or, with {@code KEEL_URL}, on a server,
 * acting as {@link Session#actor()}. The endpoints themselves are made, listed, shown and deleted
 * here; their traffic is split by {@link TrafficCommands}, their canaries steered by
 * {@link CanaryCommand}. What they print is {@link EndpointPrinter}'s; what they read from the
 * command line, {@link EndpointInput}'s.
 */
@Command(name = "endpoints", mixinStandardHelpOptions = true,
        description = "Create serving endpoints, split their traffic, and drive canary rollouts.",
        synopsisSubcommandLabel = "(create | list | show | delete | switch | shadow | canary | rollout | compare)",
        subcommands = {EndpointsCommand.Create.class, EndpointsCommand.ListEndpoints.class, EndpointsCommand.Show.class,
                EndpointsCommand.Delete.class, TrafficCommands.Switch.class, TrafficCommands.ShadowCommand.class,
                CanaryCommand.class, RolloutCommand.class, CompareCommand.class})
final class EndpointsCommand {

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create endpoint NAME serving its variants under a traffic policy.")
    static final class Create extends SessionCommand {
        @Mixin
        private OutputFormat format;
        @Parameters(index = "0", paramLabel = "NAME", description = "the endpoint's name")
        private String name;
        @Option(names = "--variant", paramLabel = "NAME=MODEL_URI", required = true,
                description = "a variant and the model it serves, such as blue=models:/churn/3 (repeat for more)")
        private List<String> variants;
        @Option(names = "--policy", paramLabel = "POLICY",
                description = "single:VARIANT | blue-green:ACTIVE,STANDBY | ab:V1=50,V2=50 (default: single, with one variant)")
        private String policy;
        @Option(names = "--shadow", paramLabel = "VARIANT:PERCENT", description = "copy PERCENT of the requests to VARIANT")
        private String shadow;

        @Override
        void run(Session session) {
            List<Variant> parsed = variants.stream().map(EndpointInput::variant).toList();
            TrafficPolicy trafficPolicy = policy == null ? defaultPolicy(parsed) : EndpointInput.policy(policy);
            NewEndpoint request = new NewEndpoint(name, parsed, trafficPolicy,
                    shadow == null ? null : EndpointInput.shadow(shadow));
            new EndpointPrinter(session, format).endpoint(session.endpoints().createEndpoint(session.actor(), request));
        }

        private static TrafficPolicy defaultPolicy(List<Variant> variants) {
            if (variants.size() != 1) {
                throw KeelException.invalid("'--policy' is required with more than one variant "
                        + "(single:VARIANT, blue-green:ACTIVE,STANDBY or ab:V1=50,V2=50)");
            }
            return new Single(variants.get(0).name());
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the endpoints you may read.")
    static final class ListEndpoints extends SessionCommand {
        @Mixin
        private OutputFormat format;

        @Override
        void run(Session session) {
            new EndpointPrinter(session, format).endpoints(session.endpoints().listEndpoints(session.actor()));
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one endpoint.")
    static final class Show extends NamedEndpointCommand {
        @Override
        void run(Session session) {
            printer(session).endpoint(session.endpoints().getEndpoint(session.actor(), name));
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete an endpoint with its rollouts.")
    static final class Delete extends SessionCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        private String name;

        @Override
        void run(Session session) {
            session.endpoints().deleteEndpoint(session.actor(), name);
            session.out().println("deleted endpoint " + name);
        }
    }
}
