package dev.keel.cli;

import dev.keel.api.Tag;
import dev.keel.api.tracking.Experiment;
import dev.keel.api.tracking.ExperimentSearch;
import dev.keel.api.tracking.NewExperiment;
import dev.keel.api.tracking.TrackingService;
import dev.keel.api.tracking.ViewType;
import dev.keel.cli.output.Cells;
import dev.keel.cli.output.JsonOutput;
import dev.keel.cli.output.Table;
import dev.keel.cli.output.Table.Column;
import dev.keel.core.Actor;
import dev.keel.core.KeelException;
import dev.keel.core.Page;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code keel experiments list|create|delete}. */
@Command(name = "experiments", mixinStandardHelpOptions = true, description = "List, create and delete experiments.",
        synopsisSubcommandLabel = "(list | create | delete)",
        subcommands = {ExperimentsCommand.ListExperiments.class, ExperimentsCommand.CreateExperiment.class,
                ExperimentsCommand.DeleteExperiment.class})
final class ExperimentsCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List experiments.")
    static final class ListExperiments extends SessionCommand {
        @Mixin
        private OutputFormat format;
        @Option(names = "--all", description = "include deleted experiments")
        private boolean all;
        @Option(names = "--max", paramLabel = "N", description = "at most N experiments (default: ${DEFAULT-VALUE})")
        private int max = 1000;

        @Override
        void run(Session session) {
            List<Experiment> experiments = all(session.tracking(), all ? ViewType.ALL : ViewType.ACTIVE_ONLY, max);
            if (format.json) {
                JsonOutput.print(session.out(), JsonOutput.experiments(experiments));
                return;
            }
            Table table = new Table(List.of(Column.number("ID"), Column.text("NAME"), Column.text("STAGE"),
                    Column.text("CREATED"), Column.text("ARTIFACT LOCATION")));
            for (Experiment experiment : experiments) {
                table.row(List.of(experiment.experimentId(), Cells.shorten(experiment.name(), 60),
                        experiment.lifecycleStage().wireName(), Cells.time(experiment.creationTime()),
                        Cells.shorten(experiment.artifactLocation(), 80)));
            }
            table.print(session.out());
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create an experiment and print its id.")
    static final class CreateExperiment extends SessionCommand {
        @Mixin
        private OutputFormat format;
        @Parameters(index = "0", paramLabel = "NAME", description = "the experiment's unique name")
        private String name;
        @Option(names = "--artifact-location", paramLabel = "URI", description = "where its runs' artifacts go (default: the artifact store)")
        private String artifactLocation;
        @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "a tag; repeat for more")
        private Map<String, String> tags = new LinkedHashMap<>();

        @Override
        void run(Session session) {
            List<Tag> tagList = tags.entrySet().stream().map(entry -> new Tag(entry.getKey(), entry.getValue())).toList();
            Experiment created = session.tracking().createExperiment(Actor.LOCAL,
                    new NewExperiment(name, artifactLocation, tagList));
            if (format.json) {
                JsonOutput.print(session.out(), JsonOutput.experiment(created));
            } else {
                session.out().println("created experiment " + created.experimentId() + " '" + created.name() + "'");
            }
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Move an experiment and its runs to the bin (they can be restored).")
    static final class DeleteExperiment extends SessionCommand {
        @Mixin
        private OutputFormat format;
        @Parameters(index = "0", paramLabel = "ID", description = "the experiment's id")
        private String experimentId;

        @Override
        void run(Session session) {
            TrackingService tracking = session.tracking();
            tracking.deleteExperiment(Actor.LOCAL, experimentId);
            if (format.json) {
                JsonOutput.print(session.out(), JsonOutput.experiment(tracking.getExperiment(Actor.LOCAL, experimentId)));
            } else {
                session.out().println("deleted experiment " + experimentId);
            }
        }
    }

    /** Every experiment in view, following pages, up to {@code max}. */
    static List<Experiment> all(TrackingService tracking, ViewType view, int max) {
        if (max < 1) {
            throw KeelException.invalid("'--max' must be at least 1 (got " + max + ")");
        }
        List<Experiment> experiments = new ArrayList<>();
        String token = null;
        do {
            int pageSize = Math.min(1000, max - experiments.size());
            Page<Experiment> page = tracking.searchExperiments(Actor.LOCAL, new ExperimentSearch(null, view, pageSize, List.of(), token));
            experiments.addAll(page.items());
            token = page.nextPageToken();
        } while (token != null && experiments.size() < max);
        return experiments;
    }
}
