package dev.keel.cli;

import dev.keel.api.serving.ComparedMetric;
import dev.keel.api.serving.EndpointService;
import dev.keel.core.Actor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code keel endpoints compare NAME A B}: two variants side by side on one metric, and whether they differ. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Compare variants A and B of NAME on a metric, with a significance test of the difference.")
final class CompareCommand extends NamedEndpointCommand {
    @Parameters(index = "1", paramLabel = "A")
    private String a;
    @Parameters(index = "2", paramLabel = "B")
    private String b;
    @Option(names = "--metric", paramLabel = "METRIC", defaultValue = "error_rate",
            description = "error_rate, latency or signal:NAME (default ${DEFAULT-VALUE})")
    private String metric;

    @Override
    void run(Session session) {
        ComparedMetric parsed = ComparedMetric.parse("--metric", metric);
        EndpointService endpoints = session.endpoints();
        Actor actor = session.actor();
        printer(session).comparison(a, b, endpoints.compareVariants(actor, name, a, b, parsed),
                () -> endpoints.variantTotals(actor, name));
    }
}
