package dev.keel.cli;

import dev.keel.api.approval.EvaluationSet;
import dev.keel.api.approval.EvaluationSetSummary;
import dev.keel.api.approval.GroupRates;
import dev.keel.api.approval.RecordedEvaluationSet;
import dev.keel.cli.output.Cells;
import dev.keel.cli.output.JsonOutput;
import dev.keel.cli.output.Table;
import dev.keel.cli.output.Table.Column;
import dev.keel.core.Actor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code keel models evaluation set|show}: a version's evaluation set, the rows the approval
 * policy's fairness checks are computed on, recorded from a CSV file and shown as group rates.
 */
@Command(name = "evaluation", mixinStandardHelpOptions = true,
        description = "Record or show a version's evaluation set (what fairness checks are computed on).",
        synopsisSubcommandLabel = "(set | show)",
        subcommands = {EvaluationCommand.SetEvaluation.class, EvaluationCommand.ShowEvaluation.class})
final class EvaluationCommand {

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Record VERSION's evaluation set from a CSV file with a header, replacing the one before.",
            footer = {"", "Decisions and outcomes are 1/0 or true/false, or a label with --positive.", "Example:",
                    "  keel models evaluation set credit-risk 3 --file eval.csv --predicted predicted --actual defaulted \\",
                    "      --sensitive home_ownership,age_band"})
    static final class SetEvaluation extends SessionCommand {
        @Mixin
        private OutputFormat format;
        @Mixin
        private ModelVersionArgs model;
        @Option(names = "--file", required = true, paramLabel = "FILE", description = "a CSV file with a header row")
        private Path file;
        @Option(names = "--predicted", required = true, paramLabel = "COLUMN", description = "the model's decision")
        private String predicted;
        @Option(names = "--actual", required = true, paramLabel = "COLUMN", description = "the true outcome")
        private String actual;
        @Option(names = "--sensitive", required = true, split = ",", paramLabel = "COLUMN",
                description = "the sensitive attributes' columns, comma-separated")
        private List<String> sensitive;
        @Option(names = "--positive", paramLabel = "LABEL",
                description = "the positive label, when decisions and outcomes are labels (anything else is negative)")
        private String positive;

        @Override
        void run(Session session) throws IOException {
            // read and checked whole before anything is sent: a bad line records nothing
            EvaluationSet set = EvaluationCsv.read(file, new EvaluationCsv.Columns(predicted, actual, sensitive,
                    positive == null || positive.isBlank() ? null : positive.strip()));
            EvaluationSetSummary summary = session.registry().setEvaluationSet(Actor.LOCAL, model.name, model.version, set);
            if (format.json) {
                JsonOutput.print(session.out(), view(summary));
            } else {
                session.out().println("recorded the evaluation set of '" + model.name + "' version " + model.version + ": "
                        + summary.rows() + " rows, attributes " + String.join(", ", summary.attributes())
                        + " (sha256 " + summary.sha256() + ")");
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show VERSION's evaluation set: its size and, per group, the rates predicted and actually positive.")
    static final class ShowEvaluation extends SessionCommand {
        @Mixin
        private OutputFormat format;
        @Mixin
        private ModelVersionArgs model;

        @Override
        void run(Session session) {
            RecordedEvaluationSet recorded = session.registry().getEvaluationSet(Actor.LOCAL, model.name, model.version);
            if (format.json) {
                Map<String, Object> view = view(recorded.summary());
                view.put("overall", rates(recorded.data().overall()));
                Map<String, Object> groups = new LinkedHashMap<>();
                for (String attribute : recorded.summary().attributes()) {
                    groups.put(attribute, recorded.data().rates(attribute).stream().map(EvaluationCommand::rates).toList());
                }
                view.put("groups", groups);
                JsonOutput.print(session.out(), view);
            } else {
                print(session.out(), recorded);
            }
        }

        private static void print(PrintStream out, RecordedEvaluationSet recorded) {
            EvaluationSetSummary summary = recorded.summary();
            GroupRates overall = recorded.data().overall();
            out.println("evaluation set of '" + summary.model() + "' version " + summary.version() + ": " + summary.rows()
                    + " rows, " + percent(overall.predictedPositiveRate()) + " predicted positive, "
                    + percent(overall.actualPositiveRate()) + " actually positive");
            out.println("  recorded by " + summary.recordedBy() + " at " + Cells.time(summary.recordedTime())
                    + ", sha256 " + summary.sha256());
            out.println();
            Table table = new Table(List.of(Column.text("ATTRIBUTE"), Column.text("GROUP"), Column.number("ROWS"),
                    Column.number("PREDICTED POSITIVE"), Column.number("ACTUALLY POSITIVE")));
            for (String attribute : summary.attributes()) {
                for (GroupRates group : recorded.data().rates(attribute)) {
                    table.row(List.of(attribute, group.group(), Integer.toString(group.rows()),
                            Cells.number(group.predictedPositiveRate()), Cells.number(group.actualPositiveRate())));
                }
            }
            table.print(out, "no sensitive attributes");
        }

        private static String percent(double rate) {
            return String.format(java.util.Locale.ROOT, "%.1f%%", 100 * rate);
        }
    }

    private static Map<String, Object> view(EvaluationSetSummary summary) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("model", summary.model());
        view.put("version", summary.version());
        view.put("rows", summary.rows());
        view.put("attributes", summary.attributes());
        view.put("sha256", summary.sha256());
        view.put("recorded_by", summary.recordedBy());
        view.put("recorded_time", summary.recordedTime());
        return view;
    }

    private static Map<String, Object> rates(GroupRates rates) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("group", rates.group());
        view.put("rows", rates.rows());
        view.put("predicted_positive_rate", rates.predictedPositiveRate());
        view.put("actual_positive_rate", rates.actualPositiveRate());
        return view;
    }
}
