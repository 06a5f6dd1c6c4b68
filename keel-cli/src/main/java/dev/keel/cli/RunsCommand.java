package dev.keel.cli;

import dev.keel.api.Tag;
import dev.keel.api.tracking.ArtifactEntry;
import dev.keel.api.tracking.Experiment;
import dev.keel.api.tracking.Metric;
import dev.keel.api.tracking.Param;
import dev.keel.api.tracking.Run;
import dev.keel.api.tracking.RunInfo;
import dev.keel.api.tracking.RunSearch;
import dev.keel.api.tracking.TrackingService;
import dev.keel.api.tracking.ViewType;
import dev.keel.cli.output.Cells;
import dev.keel.cli.output.JsonOutput;
import dev.keel.cli.output.RunTable;
import dev.keel.cli.output.Table;
import dev.keel.cli.output.Table.Column;
import dev.keel.core.Actor;
import dev.keel.core.ArtifactPath;
import dev.keel.core.Ids;
import dev.keel.core.KeelException;
import dev.keel.core.Page;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** {@code keel runs list|get|search}. */
@Command(name = "runs", mixinStandardHelpOptions = true, description = "List, show and search runs.",
        synopsisSubcommandLabel = "(list | get | search)",
        subcommands = {RunsCommand.ListRuns.class, RunsCommand.GetRun.class, RunsCommand.SearchRuns.class})
final class RunsCommand {
    private static final int MAX_ARTIFACT_ENTRIES = 500;

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List runs, newest first.")
    static final class ListRuns extends SessionCommand {
        @Mixin
        private OutputFormat format;
        @Option(names = "--experiment", paramLabel = "ID", split = ",", description = "experiment id or name (default: every active experiment)")
        private List<String> experiments = new ArrayList<>();
        @Option(names = "--max", paramLabel = "N", description = "at most N runs (default: ${DEFAULT-VALUE})")
        private int max = 100;

        @Override
        void run(Session session) {
            search(session, format, experiments, null, List.of(), max, false);
        }
    }

    @Command(name = "search", mixinStandardHelpOptions = true, description = "Search runs with a filter, in MLflow's grammar.",
            footer = {"", "Examples:",
                    "  keel runs search --filter \"metrics.auc > 0.5\" --order-by \"metrics.auc DESC\"",
                    "  keel runs search --filter \"params.optimiser = 'adagrad'\" --max 10",
                    "  keel runs search --experiment credit-risk-demo --max 10 --json"})
    static final class SearchRuns extends SessionCommand {
        @Mixin
        private OutputFormat format;
        @Option(names = "--experiment", paramLabel = "ID", split = ",", description = "experiment id or name; repeat for more (default: every active experiment)")
        private List<String> experiments = new ArrayList<>();
        @Option(names = "--filter", paramLabel = "FILTER", description = "e.g. \"metrics.auc > 0.8 and params.epochs = '10'\"")
        private String filter;
        @Option(names = "--order-by", paramLabel = "CLAUSE", description = "e.g. \"metrics.auc DESC\"; repeat for more")
        private List<String> orderBy = new ArrayList<>();
        @Option(names = "--max", paramLabel = "N", description = "at most N runs (default: ${DEFAULT-VALUE})")
        private int max = 100;
        @Option(names = "--all", description = "include deleted runs")
        private boolean all;

        @Override
        void run(Session session) {
            search(session, format, experiments, filter, orderBy, max, all);
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Show one run: its params, metrics, tags and artifacts.")
    static final class GetRun extends SessionCommand {
        @Mixin
        private OutputFormat format;
        @Parameters(index = "0", paramLabel = "RUN_ID", description = "the run's id (32 hex characters)")
        private String runId;

        @Override
        void run(Session session) {
            TrackingService tracking = session.tracking();
            Run run = tracking.getRun(Actor.LOCAL, runId);
            List<ArtifactEntry> artifacts = artifacts(tracking, runId);
            if (format.json) {
                Map<String, Object> view = new LinkedHashMap<>(JsonOutput.run(run));
                view.put("artifacts", artifacts.stream().map(JsonOutput::artifact).toList());
                JsonOutput.print(session.out(), view);
            } else {
                print(session.out(), run, artifacts);
            }
        }

        private static void print(PrintStream out, Run run, List<ArtifactEntry> artifacts) {
            RunInfo info = run.info();
            Table about = new Table(List.of(Column.text(""), Column.text("")));
            about.row(List.of("run", info.runId()));
            about.row(List.of("name", info.runName() == null ? "" : info.runName()));
            about.row(List.of("experiment", info.experimentId()));
            about.row(List.of("status", info.status().name()));
            about.row(List.of("started", Cells.time(info.startTime())));
            about.row(List.of("ended", Cells.time(info.endTime())));
            about.row(List.of("user", info.userId() == null ? "" : info.userId()));
            about.row(List.of("artifacts", info.artifactUri() == null ? "" : info.artifactUri()));
            about.row(List.of("stage", info.lifecycleStage().wireName()));
            about.printRows(out);

            out.println();
            namedValues(out, "PARAM", run.data().params(), Param::key, Param::value, "no params");

            out.println();
            Table metrics = new Table(List.of(Column.text("METRIC"), Column.number("VALUE"), Column.number("STEP"), Column.text("LOGGED")));
            run.data().metrics().stream().sorted(Comparator.comparing(Metric::key))
                    .forEach(metric -> metrics.row(List.of(metric.key(), Cells.number(metric.value()),
                            Long.toString(metric.step()), Cells.time(metric.timestamp()))));
            metrics.print(out, "no metrics");

            out.println();
            namedValues(out, "TAG", run.data().tags(), Tag::key, Tag::value, "no tags");

            out.println();
            Table files = new Table(List.of(Column.text("ARTIFACT"), Column.number("BYTES")));
            artifacts.stream().filter(entry -> !entry.isDir())
                    .forEach(entry -> files.row(List.of(entry.path(), entry.fileSize() == null ? "" : Long.toString(entry.fileSize()))));
            files.print(out, "no artifacts");
        }

        /** Params or tags: by name, each value cut short so one long value cannot stretch the table. */
        private static <T> void namedValues(PrintStream out, String header, List<T> items, Function<T, String> name,
                                            Function<T, String> value, String none) {
            Table table = new Table(List.of(Column.text(header), Column.text("VALUE")));
            items.stream().sorted(Comparator.comparing(name))
                    .forEach(item -> table.row(List.of(name.apply(item), Cells.shorten(value.apply(item), 100))));
            table.print(out, none);
        }
    }

    private static void search(Session session, OutputFormat format, List<String> experiments, String filter,
                               List<String> orderBy, int max, boolean all) {
        if (max < 1) {
            throw KeelException.invalid("'--max' must be at least 1 (got " + max + ")");
        }
        TrackingService tracking = session.tracking();
        List<String> experimentIds = experimentIds(tracking, experiments);
        List<Run> runs = new ArrayList<>();
        String token = null;
        if (!experimentIds.isEmpty()) {
            do {
                RunSearch search = new RunSearch(experimentIds, filter, all ? ViewType.ALL : ViewType.ACTIVE_ONLY,
                        Math.min(1000, max - runs.size()), orderBy, token);
                Page<Run> page = tracking.searchRuns(Actor.LOCAL, search);
                runs.addAll(page.items());
                token = page.nextPageToken();
            } while (token != null && runs.size() < max);
        }
        if (format.json) {
            JsonOutput.print(session.out(), JsonOutput.runs(runs));
        } else {
            RunTable.print(session.out(), runs);
            if (token != null) {
                session.err().println("(showing the first " + runs.size() + " runs; raise --max to see more)");
            }
        }
    }

    /** Ids as given, names looked up; nothing given means every active experiment. */
    private static List<String> experimentIds(TrackingService tracking, List<String> experiments) {
        if (experiments.isEmpty()) {
            return ExperimentsCommand.all(tracking, ViewType.ACTIVE_ONLY, Integer.MAX_VALUE).stream()
                    .map(Experiment::experimentId).toList();
        }
        return experiments.stream()
                .map(String::strip)
                .map(value -> Ids.isExperimentId(value) ? value : tracking.getExperimentByName(Actor.LOCAL, value).experimentId())
                .distinct()
                .toList();
    }

    /** The run's files, walking directories, up to a bound so a huge tree cannot flood the terminal. */
    private static List<ArtifactEntry> artifacts(TrackingService tracking, String runId) {
        List<ArtifactEntry> found = new ArrayList<>();
        List<ArtifactPath> pending = new ArrayList<>(List.of(ArtifactPath.ROOT));
        while (!pending.isEmpty() && found.size() < MAX_ARTIFACT_ENTRIES) {
            ArtifactPath directory = pending.remove(0);
            for (ArtifactEntry entry : tracking.listArtifacts(Actor.LOCAL, runId, directory)) {
                found.add(entry);
                if (entry.isDir()) {
                    pending.add(ArtifactPath.of(entry.path()));
                }
            }
        }
        return found;
    }
}
