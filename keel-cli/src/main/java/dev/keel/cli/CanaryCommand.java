package dev.keel.cli;

import dev.keel.api.serving.CanaryAnalysis;
import dev.keel.api.serving.CanaryStart;
import dev.keel.api.serving.EndpointService;
import dev.keel.api.serving.Guardrails;
import dev.keel.api.serving.Rollout;
import dev.keel.api.serving.Variant;
import dev.keel.core.Actor;
import dev.keel.core.KeelException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;

/** {@code keel endpoints canary start|promote|abort|pause|resume}: a canary rollout, started and steered. */
@Command(name = "canary", mixinStandardHelpOptions = true, description = "Start and steer a canary rollout.",
        synopsisSubcommandLabel = "(start | promote | abort | pause | resume)",
        subcommands = {CanaryCommand.Start.class, CanaryCommand.Promote.class, CanaryCommand.Abort.class,
                CanaryCommand.Pause.class, CanaryCommand.Resume.class})
final class CanaryCommand {

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Start a canary on NAME: the variant takes each step's share while the guardrails hold.")
    static final class Start extends NamedEndpointCommand {
        @Option(names = "--variant", required = true, paramLabel = "VARIANT[=MODEL_URI]",
                description = "the canary: a variant of the endpoint, or a new one with its model (green=models:/churn/4)")
        private String variant;
        @Option(names = "--steps", required = true, paramLabel = "P1,P2,...",
                description = "the canary's share at each step, in percent, increasing (10,25,50,100)")
        private String steps;
        @Option(names = "--step-duration", paramLabel = "DURATION", defaultValue = "60s",
                description = "how long each step lasts before its analysis (default ${DEFAULT-VALUE}; 1s to 24h)")
        private String stepDuration;
        @Option(names = "--min-requests", paramLabel = "N", defaultValue = "100",
                description = "requests a step needs as evidence (default ${DEFAULT-VALUE})")
        private long minRequests;
        @Option(names = "--inconclusive-limit", paramLabel = "N", defaultValue = "3",
                description = "checks in a row without enough evidence before the rollout pauses (default ${DEFAULT-VALUE})")
        private int inconclusiveLimit;
        @Option(names = "--max-error-rate", paramLabel = "RATE",
                description = "roll back above this error rate: a fraction (0.01) or a percentage (1%); "
                        + "0.01 when no guardrail is given")
        private String maxErrorRate;
        @Option(names = "--max-p99", paramLabel = "DURATION", description = "roll back above this p99 latency (250ms)")
        private String maxP99;

        @Override
        void run(Session session) {
            List<Double> weights = EndpointInput.percentages("--steps", steps);
            Double errorPercent = null;
            if (maxErrorRate != null) {
                errorPercent = EndpointInput.errorPercent(maxErrorRate);
            } else if (maxP99 == null) {
                errorPercent = 1.0; // no guardrail named: hold the error rate to 1%
            }
            Guardrails guardrails = new Guardrails(errorPercent,
                    maxP99 == null ? null : EndpointInput.duration("--max-p99", maxP99), List.of());
            CanaryAnalysis analysis = new CanaryAnalysis(EndpointInput.duration("--step-duration", stepDuration),
                    minRequests, inconclusiveLimit, guardrails);
            EndpointService endpoints = session.endpoints();
            Actor actor = session.actor();
            Variant canary = variant.contains("=") ? EndpointInput.variant(variant)
                    : endpoints.getEndpoint(actor, name).variant(variant);
            Rollout rollout = endpoints.startCanary(actor, name, new CanaryStart(canary, weights, analysis));
            printer(session).rollout(rollout);
        }
    }

    /** promote, abort, pause and resume: each takes the rollout one step and prints it as it then stands. */
    abstract static class Step extends NamedEndpointCommand {
        @Option(names = "--reason", paramLabel = "TEXT", description = "why (abort and pause)")
        String reason;

        abstract Rollout take(EndpointService endpoints, Actor actor);

        /** Whether {@code --reason} goes with this step (abort and pause) or is refused (promote and resume). */
        boolean takesReason() {
            return true;
        }

        @Override
        void run(Session session) {
            if (reason != null && !takesReason()) {
                throw KeelException.invalid("'--reason' goes with abort and pause, not with " + spec().name());
            }
            Rollout rollout = take(session.endpoints(), session.actor());
            printer(session).rollout(rollout);
        }
    }

    @Command(name = "promote", mixinStandardHelpOptions = true,
            description = "Give the canary all the traffic now, ending the rollout.")
    static final class Promote extends Step {
        @Override
        boolean takesReason() {
            return false;
        }

        @Override
        Rollout take(EndpointService endpoints, Actor actor) {
            return endpoints.promote(actor, name);
        }
    }

    @Command(name = "abort", mixinStandardHelpOptions = true,
            description = "Send all the traffic back to stable, ending the rollout.")
    static final class Abort extends Step {
        @Override
        Rollout take(EndpointService endpoints, Actor actor) {
            return endpoints.abort(actor, name, reason);
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true,
            description = "Hold the canary at its weight; guardrails stay armed.")
    static final class Pause extends Step {
        @Override
        Rollout take(EndpointService endpoints, Actor actor) {
            return endpoints.pause(actor, name, reason);
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true,
            description = "Continue a paused rollout; its step's analysis starts afresh.")
    static final class Resume extends Step {
        @Override
        boolean takesReason() {
            return false;
        }

        @Override
        Rollout take(EndpointService endpoints, Actor actor) {
            return endpoints.resume(actor, name);
        }
    }
}
