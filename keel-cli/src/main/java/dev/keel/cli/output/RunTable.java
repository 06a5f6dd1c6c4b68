package dev.keel.cli.output;

import dev.keel.api.tracking.Metric;
import dev.keel.api.tracking.Param;
import dev.keel.api.tracking.Run;
import dev.keel.cli.output.Table.Column;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Runs side by side: one row per run, its latest metrics and its params as columns, so runs
 * compare at a glance. Params that differ between the runs come first (they are what tells
 * runs apart); beyond a few columns the rest is left to {@code runs get} and {@code --json}.
 */
public final class RunTable {
    static final int MAX_METRIC_COLUMNS = 6;
    static final int MAX_PARAM_COLUMNS = 4;

    private RunTable() {
    }

    public static void print(PrintStream out, List<Run> runs) {
        if (runs.isEmpty()) {
            out.println("no runs");
            return;
        }
        TreeSet<String> metricKeys = new TreeSet<>();
        TreeSet<String> paramKeys = new TreeSet<>();
        TreeSet<String> experiments = new TreeSet<>();
        for (Run run : runs) {
            run.data().metrics().forEach(metric -> metricKeys.add(metric.key()));
            run.data().params().forEach(param -> paramKeys.add(param.key()));
            experiments.add(run.info().experimentId());
        }
        List<String> metrics = first(metricKeys, MAX_METRIC_COLUMNS);
        List<String> params = paramKeys.stream()
                .sorted(Comparator.comparing((String key) -> !varies(runs, key)).thenComparing(Comparator.naturalOrder()))
                .limit(MAX_PARAM_COLUMNS)
                .toList();
        boolean showExperiment = experiments.size() > 1;

        List<Column> columns = new ArrayList<>(List.of(Column.text("RUN ID"), Column.text("NAME")));
        if (showExperiment) {
            columns.add(Column.number("EXP"));
        }
        columns.add(Column.text("STATUS"));
        columns.add(Column.text("STARTED"));
        metrics.forEach(key -> columns.add(Column.number(key)));
        // a param named like a metric gets its prefix, so no two columns read the same
        params.forEach(key -> columns.add(Column.text(metricKeys.contains(key) ? "params." + key : key)));

        Table table = new Table(columns);
        for (Run run : runs) {
            Map<String, Double> latest = new HashMap<>();
            for (Metric metric : run.data().metrics()) {
                latest.put(metric.key(), metric.value());
            }
            Map<String, String> values = new HashMap<>();
            for (Param param : run.data().params()) {
                values.put(param.key(), param.value());
            }
            List<String> cells = new ArrayList<>(List.of(run.info().runId(), Cells.shorten(run.info().runName(), 40)));
            if (showExperiment) {
                cells.add(run.info().experimentId());
            }
            cells.add(run.info().status().name());
            cells.add(Cells.time(run.info().startTime()));
            metrics.forEach(key -> cells.add(latest.containsKey(key) ? Cells.number(latest.get(key)) : ""));
            params.forEach(key -> cells.add(Cells.shorten(values.get(key), 24)));
            table.row(cells);
        }
        table.print(out);
        int hidden = metricKeys.size() - metrics.size() + paramKeys.size() - params.size();
        if (hidden > 0) {
            out.println("(" + hidden + " more metric and param columns; see 'keel runs get RUN_ID' or --json)");
        }
    }

    private static boolean varies(List<Run> runs, String paramKey) {
        return runs.stream()
                .map(run -> run.data().params().stream().filter(param -> param.key().equals(paramKey))
                        .map(Param::value).findFirst().orElse(null))
                .distinct()
                .count() > 1;
    }

    private static List<String> first(TreeSet<String> keys, int max) {
        return keys.stream().limit(max).toList();
    }
}
